/** Every fix, in installation order. mod.ts installs them on wasm; the bench toggles them. */
import type { Fix } from "./_fix.ts";
import { gatherGradFix } from "./_fix_gather_grad.ts";
import { gatherKernelFix } from "./_fix_gather_kernel.ts";
import { batchMatMulGradFix } from "./_fix_batchmatmul_grad.ts";
import { batchMatMulKernelFix } from "./_fix_batchmatmul_kernel.ts";
import { transposeKernelFix } from "./_fix_transpose_kernel.ts";
import { sumKernelFix } from "./_fix_sum_kernel.ts";
import { identityKernelFix } from "./_fix_identity_kernel.ts";

export const ALL_FIXES: readonly Fix[] = [
  gatherGradFix,
  gatherKernelFix,
  batchMatMulGradFix,
  batchMatMulKernelFix,
  transposeKernelFix,
  sumKernelFix,
  identityKernelFix,
];
