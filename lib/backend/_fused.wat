;; Fused f32 kernels for the training step, in WebAssembly SIMD, run on tfjs-backend-wasm's own
;; linear memory (imported as env.memory; this module owns no memory, data, stack or globals).
;; Every pointer is a byte offset into that memory (unsigned: compared with *_u), every count is
;; a number of f32 elements. Built by `deno task kernels` into _fused_wasm.ts; see _fused.ts for
;; the contract each function is called under and _fused_test.ts for the tolerances.
;;
;; Arithmetic is plain IEEE f32 with no fused multiply-add, in the order of the tfjs composition
;; each kernel replaces, so that element-wise kernels (AdamW) give the same bits as tfjs; the
;; reductions (sums over a row or a tensor) add in a different order and match to rounding.
(module
  (import "env" "memory" (memory 1))

  ;; ---- tails: the last n mod 4 elements of a run, as lanes 0..k-1 of a vector (k in 1..3) ----

  (func $load_tail (param $p i32) (param $k i32) (result v128)
    (local $v v128)
    (local.set $v (f32x4.replace_lane 0 (local.get $v) (f32.load (local.get $p))))
    (if (i32.ge_u (local.get $k) (i32.const 2))
      (then (local.set $v (f32x4.replace_lane 1 (local.get $v)
        (f32.load offset=4 (local.get $p))))))
    (if (i32.ge_u (local.get $k) (i32.const 3))
      (then (local.set $v (f32x4.replace_lane 2 (local.get $v)
        (f32.load offset=8 (local.get $p))))))
    (local.get $v))

  (func $store_tail (param $p i32) (param $k i32) (param $v v128)
    (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $v)))
    (if (i32.ge_u (local.get $k) (i32.const 2))
      (then (f32.store offset=4 (local.get $p) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.ge_u (local.get $k) (i32.const 3))
      (then (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get $v))))))

  ;; all-ones in lanes 0..k-1, zero elsewhere
  (func $tail_mask (param $k i32) (result v128)
    (i32x4.lt_s (v128.const i32x4 0 1 2 3) (i32x4.splat (local.get $k))))

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; ---- sum of squares of n floats at p (the global gradient norm, before its square root) ----
  ;; In blocks of 256 floats: 8 f32 lanes within a block (32 additions per lane), the blocks'
  ;; sums added in f64, so the error stays near f32 rounding for any n (a plain f32 running sum
  ;; of 2M squares is off by about 1e-3 relative).

  (func $sum_squares_block (param $p i32) (param $n i32) (result f32)
    (local $end i32) (local $a v128) (local $b v128) (local $x v128) (local $k i32)
    (local.set $end (i32.add (local.get $p)
      (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $a (f32x4.add (local.get $a) (f32x4.mul (local.get $x) (local.get $x))))
        (local.set $x (v128.load offset=16 (local.get $p)))
        (local.set $b (f32x4.add (local.get $b) (f32x4.mul (local.get $x) (local.get $x))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $next)))
    (local.set $k (i32.and (local.get $n) (i32.const 7)))
    (if (i32.ge_u (local.get $k) (i32.const 4))
      (then
        (local.set $x (v128.load (local.get $p)))
        (local.set $a (f32x4.add (local.get $a) (f32x4.mul (local.get $x) (local.get $x))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $k (i32.sub (local.get $k) (i32.const 4)))))
    (if (local.get $k)
      (then
        (local.set $x (call $load_tail (local.get $p) (local.get $k)))
        (local.set $b (f32x4.add (local.get $b) (f32x4.mul (local.get $x) (local.get $x))))))
    (call $hsum (f32x4.add (local.get $a) (local.get $b))))

  (func (export "sum_squares") (param $p i32) (param $n i32) (result f64)
    (local $s f64) (local $m i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $m (select (i32.const 256) (local.get $n)
          (i32.gt_u (local.get $n) (i32.const 256))))
        (local.set $s (f64.add (local.get $s)
          (f64.promote_f32 (call $sum_squares_block (local.get $p) (local.get $m)))))
        (local.set $p (i32.add (local.get $p) (i32.shl (local.get $m) (i32.const 2))))
        (local.set $n (i32.sub (local.get $n) (local.get $m)))
        (br $next)))
    (local.get $s))

  ;; ---- AdamW on one parameter: tfjs AdamOptimizer.applyGradients after decoupled decay ----
  ;; g' = g * scale; th = theta * keep; m' = m * b1 + g' * omb1; v' = v * b2 + (g' * g') * omb2;
  ;; out = ((m' / bc1) / (sqrt(v' / bc2) + eps)) * neglr + th. m and v are updated in place;
  ;; theta is read only (a new parameter buffer `out`: XNNPACK caches packed weights by id).

  (func $adamw4
    (param $theta v128) (param $g v128) (param $m v128) (param $v v128)
    (param $scale v128) (param $keep v128) (param $b1 v128) (param $omb1 v128)
    (param $b2 v128) (param $omb2 v128) (param $bc1 v128) (param $bc2 v128)
    (param $eps v128) (param $neglr v128)
    (result v128 v128 v128)
    (local $gs v128) (local $m2 v128) (local $v2 v128)
    (local.set $gs (f32x4.mul (local.get $g) (local.get $scale)))
    (local.set $m2 (f32x4.add (f32x4.mul (local.get $m) (local.get $b1))
      (f32x4.mul (local.get $gs) (local.get $omb1))))
    (local.set $v2 (f32x4.add (f32x4.mul (local.get $v) (local.get $b2))
      (f32x4.mul (f32x4.mul (local.get $gs) (local.get $gs)) (local.get $omb2))))
    (f32x4.add
      (f32x4.mul
        (f32x4.div (f32x4.div (local.get $m2) (local.get $bc1))
          (f32x4.add (f32x4.sqrt (f32x4.div (local.get $v2) (local.get $bc2))) (local.get $eps)))
        (local.get $neglr))
      (f32x4.mul (local.get $theta) (local.get $keep)))
    (local.get $m2)
    (local.get $v2))

  (func (export "adamw")
    (param $theta i32) (param $g i32) (param $m i32) (param $v i32) (param $out i32)
    (param $n i32)
    (param $scale f32) (param $keep f32) (param $b1 f32) (param $omb1 f32) (param $b2 f32)
    (param $omb2 f32) (param $bc1 f32) (param $bc2 f32) (param $eps f32) (param $neglr f32)
    (local $i i32) (local $end i32) (local $k i32)
    (local $vscale v128) (local $vkeep v128) (local $vb1 v128) (local $vomb1 v128)
    (local $vb2 v128) (local $vomb2 v128) (local $vbc1 v128) (local $vbc2 v128)
    (local $veps v128) (local $vneglr v128)
    (local $rt v128) (local $rm v128) (local $rv v128)
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (local.set $vkeep (f32x4.splat (local.get $keep)))
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vomb1 (f32x4.splat (local.get $omb1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vomb2 (f32x4.splat (local.get $omb2)))
    (local.set $vbc1 (f32x4.splat (local.get $bc1)))
    (local.set $vbc2 (f32x4.splat (local.get $bc2)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vneglr (f32x4.splat (local.get $neglr)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (call $adamw4
          (v128.load (i32.add (local.get $theta) (local.get $i)))
          (v128.load (i32.add (local.get $g) (local.get $i)))
          (v128.load (i32.add (local.get $m) (local.get $i)))
          (v128.load (i32.add (local.get $v) (local.get $i)))
          (local.get $vscale) (local.get $vkeep) (local.get $vb1) (local.get $vomb1)
          (local.get $vb2) (local.get $vomb2) (local.get $vbc1) (local.get $vbc2)
          (local.get $veps) (local.get $vneglr))
        (local.set $rv)
        (local.set $rm)
        (local.set $rt)
        (v128.store (i32.add (local.get $out) (local.get $i)) (local.get $rt))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $rm))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $rv))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.set $k (i32.and (local.get $n) (i32.const 3)))
    (if (local.get $k)
      (then
        (call $adamw4
          (call $load_tail (i32.add (local.get $theta) (local.get $i)) (local.get $k))
          (call $load_tail (i32.add (local.get $g) (local.get $i)) (local.get $k))
          (call $load_tail (i32.add (local.get $m) (local.get $i)) (local.get $k))
          (call $load_tail (i32.add (local.get $v) (local.get $i)) (local.get $k))
          (local.get $vscale) (local.get $vkeep) (local.get $vb1) (local.get $vomb1)
          (local.get $vb2) (local.get $vomb2) (local.get $vbc1) (local.get $vbc2)
          (local.get $veps) (local.get $vneglr))
        (local.set $rv)
        (local.set $rm)
        (local.set $rt)
        (call $store_tail (i32.add (local.get $out) (local.get $i)) (local.get $k) (local.get $rt))
        (call $store_tail (i32.add (local.get $m) (local.get $i)) (local.get $k) (local.get $rm))
        (call $store_tail (i32.add (local.get $v) (local.get $i)) (local.get $k) (local.get $rv)))))

  ;; ---- LayerNorm over rows of `cols` floats (the composite of lib/models/_ops.ts) ----
  ;; mean = sum(x) / cols; rstd = 1 / sqrt(sum((x - mean)^2) / cols + eps);
  ;; y = ((x - mean) * rstd) * gamma + beta; stats[2 r] = mean, stats[2 r + 1] = rstd.

  ;; sum over one row of x (pass `mean` 0 and squared 0), or of (x - mean)^2 (squared 1)
  (func $row_sum (param $x i32) (param $cols i32) (param $mean f32) (param $squared i32)
    (result f32)
    (local $i i32) (local $end i32) (local $k i32) (local $acc v128) (local $d v128)
    (local $vmean v128)
    (local.set $vmean (f32x4.splat (local.get $mean)))
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $d (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i)))
          (local.get $vmean)))
        (if (local.get $squared)
          (then (local.set $d (f32x4.mul (local.get $d) (local.get $d)))))
        (local.set $acc (f32x4.add (local.get $acc) (local.get $d)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.set $k (i32.and (local.get $cols) (i32.const 3)))
    (if (local.get $k)
      (then
        (local.set $d (v128.and (call $tail_mask (local.get $k))
          (f32x4.sub (call $load_tail (i32.add (local.get $x) (local.get $i)) (local.get $k))
            (local.get $vmean))))
        (if (local.get $squared)
          (then (local.set $d (f32x4.mul (local.get $d) (local.get $d)))))
        (local.set $acc (f32x4.add (local.get $acc) (local.get $d)))))
    (call $hsum (local.get $acc)))

  (func (export "layer_norm")
    (param $x i32) (param $gamma i32) (param $beta i32) (param $y i32) (param $stats i32)
    (param $rows i32) (param $cols i32) (param $eps f32)
    (local $r i32) (local $i i32) (local $end i32) (local $k i32) (local $stride i32)
    (local $fcols f32) (local $mean f32) (local $rstd f32) (local $vmean v128) (local $vrstd v128)
    (local $o v128)
    (local.set $fcols (f32.convert_i32_u (local.get $cols)))
    (local.set $stride (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (local.set $k (i32.and (local.get $cols) (i32.const 3)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $mean (f32.div
          (call $row_sum (local.get $x) (local.get $cols) (f32.const 0) (i32.const 0))
          (local.get $fcols)))
        (local.set $rstd (f32.div (f32.const 1) (f32.sqrt (f32.add
          (f32.div
            (call $row_sum (local.get $x) (local.get $cols) (local.get $mean) (i32.const 1))
            (local.get $fcols))
          (local.get $eps)))))
        (f32.store (local.get $stats) (local.get $mean))
        (f32.store offset=4 (local.get $stats) (local.get $rstd))
        (local.set $vmean (f32x4.splat (local.get $mean)))
        (local.set $vrstd (f32x4.splat (local.get $rstd)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            (v128.store (i32.add (local.get $y) (local.get $i))
              (f32x4.add
                (f32x4.mul
                  (f32x4.mul
                    (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i)))
                      (local.get $vmean))
                    (local.get $vrstd))
                  (v128.load (i32.add (local.get $gamma) (local.get $i))))
                (v128.load (i32.add (local.get $beta) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $next)))
        (if (local.get $k)
          (then
            (local.set $o (f32x4.add
              (f32x4.mul
                (f32x4.mul
                  (f32x4.sub
                    (call $load_tail (i32.add (local.get $x) (local.get $i)) (local.get $k))
                    (local.get $vmean))
                  (local.get $vrstd))
                (call $load_tail (i32.add (local.get $gamma) (local.get $i)) (local.get $k)))
              (call $load_tail (i32.add (local.get $beta) (local.get $i)) (local.get $k))))
            (call $store_tail (i32.add (local.get $y) (local.get $i)) (local.get $k)
              (local.get $o))))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (local.set $y (i32.add (local.get $y) (local.get $stride)))
        (local.set $stats (i32.add (local.get $stats) (i32.const 8)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; LayerNorm backward, with xhat recomputed from x and the saved stats:
  ;; dxhat = dy * gamma; m1 = mean(dxhat); m2 = mean(dxhat * xhat);
  ;; dx = rstd * ((dxhat - m1) - xhat * m2); dgamma = sum_rows(dy * xhat); dbeta = sum_rows(dy).
  (func (export "layer_norm_grad")
    (param $dy i32) (param $x i32) (param $gamma i32) (param $stats i32) (param $dx i32)
    (param $dgamma i32) (param $dbeta i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $i i32) (local $end i32) (local $k i32) (local $stride i32)
    (local $fcols f32) (local $vmean v128) (local $vrstd v128) (local $vm1 v128) (local $vm2 v128)
    (local $s1 v128) (local $s2 v128) (local $xh v128) (local $dyv v128) (local $dxh v128)
    (local $mask v128)
    (local.set $fcols (f32.convert_i32_u (local.get $cols)))
    (local.set $stride (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (local.set $k (i32.and (local.get $cols) (i32.const 3)))
    (local.set $mask (call $tail_mask (local.get $k)))
    (memory.fill (local.get $dgamma) (i32.const 0) (local.get $stride))
    (memory.fill (local.get $dbeta) (i32.const 0) (local.get $stride))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $vmean (f32x4.splat (f32.load (local.get $stats))))
        (local.set $vrstd (f32x4.splat (f32.load offset=4 (local.get $stats))))
        (local.set $s1 (v128.const i32x4 0 0 0 0))
        (local.set $s2 (v128.const i32x4 0 0 0 0))
        ;; pass 1: the two row means and the gamma / beta gradients
        (local.set $i (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $dyv (v128.load (i32.add (local.get $dy) (local.get $i))))
            (local.set $xh (f32x4.mul
              (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $vmean))
              (local.get $vrstd)))
            (local.set $dxh (f32x4.mul (local.get $dyv)
              (v128.load (i32.add (local.get $gamma) (local.get $i)))))
            (local.set $s1 (f32x4.add (local.get $s1) (local.get $dxh)))
            (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $dxh) (local.get $xh))))
            (v128.store (i32.add (local.get $dgamma) (local.get $i))
              (f32x4.add (v128.load (i32.add (local.get $dgamma) (local.get $i)))
                (f32x4.mul (local.get $dyv) (local.get $xh))))
            (v128.store (i32.add (local.get $dbeta) (local.get $i))
              (f32x4.add (v128.load (i32.add (local.get $dbeta) (local.get $i)))
                (local.get $dyv)))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $next)))
        (if (local.get $k)
          (then
            (local.set $dyv (call $load_tail (i32.add (local.get $dy) (local.get $i))
              (local.get $k)))
            (local.set $xh (v128.and (local.get $mask) (f32x4.mul
              (f32x4.sub (call $load_tail (i32.add (local.get $x) (local.get $i)) (local.get $k))
                (local.get $vmean))
              (local.get $vrstd))))
            (local.set $dxh (f32x4.mul (local.get $dyv)
              (call $load_tail (i32.add (local.get $gamma) (local.get $i)) (local.get $k))))
            (local.set $s1 (f32x4.add (local.get $s1) (local.get $dxh)))
            (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $dxh) (local.get $xh))))
            (call $store_tail (i32.add (local.get $dgamma) (local.get $i)) (local.get $k)
              (f32x4.add
                (call $load_tail (i32.add (local.get $dgamma) (local.get $i)) (local.get $k))
                (f32x4.mul (local.get $dyv) (local.get $xh))))
            (call $store_tail (i32.add (local.get $dbeta) (local.get $i)) (local.get $k)
              (f32x4.add
                (call $load_tail (i32.add (local.get $dbeta) (local.get $i)) (local.get $k))
                (local.get $dyv)))))
        (local.set $vm1 (f32x4.splat (f32.div (call $hsum (local.get $s1)) (local.get $fcols))))
        (local.set $vm2 (f32x4.splat (f32.div (call $hsum (local.get $s2)) (local.get $fcols))))
        ;; pass 2: dx
        (local.set $i (i32.const 0))
        (block $done2
          (loop $next2
            (br_if $done2 (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $xh (f32x4.mul
              (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $vmean))
              (local.get $vrstd)))
            (local.set $dxh (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $i)))
              (v128.load (i32.add (local.get $gamma) (local.get $i)))))
            (v128.store (i32.add (local.get $dx) (local.get $i))
              (f32x4.mul (local.get $vrstd)
                (f32x4.sub (f32x4.sub (local.get $dxh) (local.get $vm1))
                  (f32x4.mul (local.get $xh) (local.get $vm2)))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $next2)))
        (if (local.get $k)
          (then
            (local.set $xh (f32x4.mul
              (f32x4.sub (call $load_tail (i32.add (local.get $x) (local.get $i)) (local.get $k))
                (local.get $vmean))
              (local.get $vrstd)))
            (local.set $dxh (f32x4.mul
              (call $load_tail (i32.add (local.get $dy) (local.get $i)) (local.get $k))
              (call $load_tail (i32.add (local.get $gamma) (local.get $i)) (local.get $k))))
            (call $store_tail (i32.add (local.get $dx) (local.get $i)) (local.get $k)
              (f32x4.mul (local.get $vrstd)
                (f32x4.sub (f32x4.sub (local.get $dxh) (local.get $vm1))
                  (f32x4.mul (local.get $xh) (local.get $vm2)))))))
        (local.set $dy (i32.add (local.get $dy) (local.get $stride)))
        (local.set $x (i32.add (local.get $x) (local.get $stride)))
        (local.set $dx (i32.add (local.get $dx) (local.get $stride)))
        (local.set $stats (i32.add (local.get $stats) (i32.const 8)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; ---- batched small matmul: c[b] = a[b] . b[b], a [batch, m, k], b [batch, k, n], n % 4 = 0 ----
  ;; The attention products ([32, 4, 32, 16] x [32, 4, 16, 32] and the like), which XNNPACK
  ;; runs one packed 32 x 32 product at a time. Here: per output row, 16 columns in 4
  ;; accumulators (then 4 at a time), c[i, j..] = sum over t of a[i, t] * b[t, j..], t in order
  ;; (the same additions as a naive loop; XNNPACK's order differs: equal to rounding).
  (func (export "bmm")
    (param $a i32) (param $b i32) (param $c i32) (param $batch i32) (param $m i32) (param $k i32)
    (param $n i32)
    (local $i i32) (local $j i32) (local $t i32) (local $arow i32) (local $bcol i32)
    (local $crow i32) (local $s v128) (local $c0 v128) (local $c1 v128) (local $c2 v128)
    (local $c3 v128) (local $bstride i32) (local $astride i32) (local $cstride i32)
    (local $n16 i32)
    (local.set $bstride (i32.shl (local.get $n) (i32.const 2)))
    (local.set $astride (i32.shl (local.get $k) (i32.const 2)))
    (local.set $cstride (local.get $bstride))
    (local.set $n16 (i32.and (local.get $n) (i32.const -16)))
    (block $batches_done
      (loop $batch_loop
        (br_if $batches_done (i32.eqz (local.get $batch)))
        (local.set $i (i32.const 0))
        (local.set $arow (local.get $a))
        (local.set $crow (local.get $c))
        (block $rows_done
          (loop $row
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
            ;; 16 columns at a time
            (local.set $j (i32.const 0))
            (block $j16_done
              (loop $j16
                (br_if $j16_done (i32.ge_u (local.get $j) (local.get $n16)))
                (local.set $c0 (v128.const i32x4 0 0 0 0))
                (local.set $c1 (v128.const i32x4 0 0 0 0))
                (local.set $c2 (v128.const i32x4 0 0 0 0))
                (local.set $c3 (v128.const i32x4 0 0 0 0))
                (local.set $bcol (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
                (local.set $t (i32.const 0))
                (block $t_done
                  (loop $tl
                    (br_if $t_done (i32.ge_u (local.get $t) (local.get $astride)))
                    (local.set $s (v128.load32_splat (i32.add (local.get $arow) (local.get $t))))
                    (local.set $c0 (f32x4.add (local.get $c0)
                      (f32x4.mul (local.get $s) (v128.load (local.get $bcol)))))
                    (local.set $c1 (f32x4.add (local.get $c1)
                      (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $bcol)))))
                    (local.set $c2 (f32x4.add (local.get $c2)
                      (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $bcol)))))
                    (local.set $c3 (f32x4.add (local.get $c3)
                      (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $bcol)))))
                    (local.set $bcol (i32.add (local.get $bcol) (local.get $bstride)))
                    (local.set $t (i32.add (local.get $t) (i32.const 4)))
                    (br $tl)))
                (local.set $bcol (i32.add (local.get $crow) (i32.shl (local.get $j) (i32.const 2))))
                (v128.store (local.get $bcol) (local.get $c0))
                (v128.store offset=16 (local.get $bcol) (local.get $c1))
                (v128.store offset=32 (local.get $bcol) (local.get $c2))
                (v128.store offset=48 (local.get $bcol) (local.get $c3))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $j16)))
            ;; then 4 at a time
            (block $j4_done
              (loop $j4
                (br_if $j4_done (i32.ge_u (local.get $j) (local.get $n)))
                (local.set $c0 (v128.const i32x4 0 0 0 0))
                (local.set $bcol (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
                (local.set $t (i32.const 0))
                (block $t4_done
                  (loop $t4
                    (br_if $t4_done (i32.ge_u (local.get $t) (local.get $astride)))
                    (local.set $c0 (f32x4.add (local.get $c0)
                      (f32x4.mul (v128.load32_splat (i32.add (local.get $arow) (local.get $t)))
                        (v128.load (local.get $bcol)))))
                    (local.set $bcol (i32.add (local.get $bcol) (local.get $bstride)))
                    (local.set $t (i32.add (local.get $t) (i32.const 4)))
                    (br $t4)))
                (v128.store (i32.add (local.get $crow) (i32.shl (local.get $j) (i32.const 2)))
                  (local.get $c0))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $j4)))
            (local.set $arow (i32.add (local.get $arow) (local.get $astride)))
            (local.set $crow (i32.add (local.get $crow) (local.get $cstride)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $row)))
        (local.set $a (i32.add (local.get $a) (i32.mul (local.get $m) (local.get $astride))))
        (local.set $b (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $bstride))))
        (local.set $c (i32.add (local.get $c) (i32.mul (local.get $m) (local.get $cstride))))
        (local.set $batch (i32.sub (local.get $batch) (i32.const 1)))
        (br $batch_loop))))

  ;; ---- seeded inverted dropout with lib/random's sfc32 stream, continued from JS ----
  ;; Per element, one sfc32 step (t = a + b + d; d += 1; a = b ^ (b >> 9); b = c + (c << 3);
  ;; c = rotl(c, 21) + t), mask = scale if t >= threshold (unsigned) else 0, y = x * mask: the
  ;; same draws, masks and products as lib/models/_ops.ts `dropout` in JS. Returns the state.
  (func (export "dropout")
    (param $x i32) (param $y i32) (param $mask i32) (param $n i32)
    (param $a i32) (param $b i32) (param $c i32) (param $d i32)
    (param $threshold i32) (param $scale f32)
    (result i32 i32 i32 i32)
    (local $i i32) (local $end i32) (local $t i32) (local $m f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $t (i32.add (i32.add (local.get $a) (local.get $b)) (local.get $d)))
        (local.set $d (i32.add (local.get $d) (i32.const 1)))
        (local.set $a (i32.xor (local.get $b) (i32.shr_u (local.get $b) (i32.const 9))))
        (local.set $b (i32.add (local.get $c) (i32.shl (local.get $c) (i32.const 3))))
        (local.set $c (i32.add (i32.rotl (local.get $c) (i32.const 21)) (local.get $t)))
        (local.set $m (select (local.get $scale) (f32.const 0)
          (i32.ge_u (local.get $t) (local.get $threshold))))
        (f32.store (i32.add (local.get $mask) (local.get $i)) (local.get $m))
        (f32.store (i32.add (local.get $y) (local.get $i))
          (f32.mul (f32.load (i32.add (local.get $x) (local.get $i))) (local.get $m)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (local.get $a) (local.get $b) (local.get $c) (local.get $d))

  ;; ---- depthwise 1-D convolution along the sequence ("same" padding, dilation) ----
  ;; x [batch, seq, ch], w [taps, ch]: y[b, t, c] = sum over j of x[b, t + sign (j - half) dil, c]
  ;; * w[j, c], half = taps / 2 (floor), taps outside [0, seq) read zeros; j in order, as the
  ;; composition's shifted multiply-adds (lib/search_space _ops/conv.ts). sign = -1 (flip) gives
  ;; the input gradient from dy.
  (func (export "dwconv")
    (param $x i32) (param $w i32) (param $y i32) (param $batch i32) (param $seq i32)
    (param $ch i32) (param $taps i32) (param $dil i32) (param $flip i32)
    (local $bt i32) (local $rows i32) (local $t i32) (local $j i32) (local $src i32)
    (local $c i32) (local $end i32) (local $bytes i32) (local $yrow i32) (local $first i32)
    (local $xrow i32) (local $wrow i32) (local $acc v128) (local $sacc f32) (local $step i32)
    (local $half i32)
    (local.set $bytes (i32.shl (local.get $ch) (i32.const 2)))
    (local.set $end (i32.shl (i32.and (local.get $ch) (i32.const -4)) (i32.const 2)))
    (local.set $rows (i32.mul (local.get $batch) (local.get $seq)))
    (local.set $half (i32.shr_u (local.get $taps) (i32.const 1)))
    (local.set $step (select (i32.sub (i32.const 0) (local.get $dil)) (local.get $dil)
      (local.get $flip)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $bt) (local.get $rows)))
        (local.set $t (i32.rem_u (local.get $bt) (local.get $seq)))
        (local.set $first (i32.sub (local.get $bt) (local.get $t))) ;; row index of (b, 0)
        (local.set $yrow (i32.add (local.get $y) (i32.mul (local.get $bt) (local.get $bytes))))
        ;; vector channels
        (local.set $c (i32.const 0))
        (block $vc_done
          (loop $vc
            (br_if $vc_done (i32.ge_u (local.get $c) (local.get $end)))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $j (i32.const 0))
            (block $taps_done
              (loop $tap
                (br_if $taps_done (i32.ge_u (local.get $j) (local.get $taps)))
                (local.set $src (i32.add (local.get $t)
                  (i32.mul (i32.sub (local.get $j) (local.get $half)) (local.get $step))))
                (if (i32.lt_u (local.get $src) (local.get $seq))
                  (then
                    (local.set $xrow (i32.add (local.get $x) (i32.mul
                      (i32.add (local.get $first) (local.get $src)) (local.get $bytes))))
                    (local.set $wrow (i32.add (local.get $w)
                      (i32.mul (local.get $j) (local.get $bytes))))
                    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul
                      (v128.load (i32.add (local.get $xrow) (local.get $c)))
                      (v128.load (i32.add (local.get $wrow) (local.get $c))))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $tap)))
            (v128.store (i32.add (local.get $yrow) (local.get $c)) (local.get $acc))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $vc)))
        ;; the last ch mod 4 channels, one at a time
        (block $sc_done
          (loop $sc
            (br_if $sc_done (i32.ge_u (local.get $c) (local.get $bytes)))
            (local.set $sacc (f32.const 0))
            (local.set $j (i32.const 0))
            (block $staps_done
              (loop $stap
                (br_if $staps_done (i32.ge_u (local.get $j) (local.get $taps)))
                (local.set $src (i32.add (local.get $t)
                  (i32.mul (i32.sub (local.get $j) (local.get $half)) (local.get $step))))
                (if (i32.lt_u (local.get $src) (local.get $seq))
                  (then
                    (local.set $sacc (f32.add (local.get $sacc) (f32.mul
                      (f32.load (i32.add (local.get $c) (i32.add (local.get $x) (i32.mul
                        (i32.add (local.get $first) (local.get $src)) (local.get $bytes)))))
                      (f32.load (i32.add (local.get $c) (i32.add (local.get $w)
                        (i32.mul (local.get $j) (local.get $bytes))))))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $stap)))
            (f32.store (i32.add (local.get $yrow) (local.get $c)) (local.get $sacc))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $sc)))
        (local.set $bt (i32.add (local.get $bt) (i32.const 1)))
        (br $row))))

  ;; the filter gradient: dw[j, c] = sum over b, t of dy[b, t, c] * x[b, t + (j - half) dil, c]
  (func (export "dwconv_filter_grad")
    (param $x i32) (param $dy i32) (param $dw i32) (param $batch i32) (param $seq i32)
    (param $ch i32) (param $taps i32) (param $dil i32)
    (local $bt i32) (local $rows i32) (local $t i32) (local $j i32) (local $src i32)
    (local $c i32) (local $end i32) (local $bytes i32) (local $dyrow i32) (local $first i32)
    (local $xrow i32) (local $wrow i32) (local $half i32) (local $i i32) (local $n i32)
    (local.set $bytes (i32.shl (local.get $ch) (i32.const 2)))
    (local.set $end (i32.shl (i32.and (local.get $ch) (i32.const -4)) (i32.const 2)))
    (local.set $rows (i32.mul (local.get $batch) (local.get $seq)))
    (local.set $half (i32.shr_u (local.get $taps) (i32.const 1)))
    ;; dw = 0
    (local.set $n (i32.mul (local.get $taps) (local.get $bytes)))
    (block $z_done
      (loop $z
        (br_if $z_done (i32.ge_u (local.get $i) (local.get $n)))
        (f32.store (i32.add (local.get $dw) (local.get $i)) (f32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $z)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $bt) (local.get $rows)))
        (local.set $t (i32.rem_u (local.get $bt) (local.get $seq)))
        (local.set $first (i32.sub (local.get $bt) (local.get $t)))
        (local.set $dyrow (i32.add (local.get $dy) (i32.mul (local.get $bt) (local.get $bytes))))
        (local.set $j (i32.const 0))
        (block $taps_done
          (loop $tap
            (br_if $taps_done (i32.ge_u (local.get $j) (local.get $taps)))
            (local.set $src (i32.add (local.get $t)
              (i32.mul (i32.sub (local.get $j) (local.get $half)) (local.get $dil))))
            (if (i32.lt_u (local.get $src) (local.get $seq))
              (then
                (local.set $xrow (i32.add (local.get $x) (i32.mul
                  (i32.add (local.get $first) (local.get $src)) (local.get $bytes))))
                (local.set $wrow (i32.add (local.get $dw)
                  (i32.mul (local.get $j) (local.get $bytes))))
                (local.set $c (i32.const 0))
                (block $vc_done
                  (loop $vc
                    (br_if $vc_done (i32.ge_u (local.get $c) (local.get $end)))
                    (v128.store (i32.add (local.get $wrow) (local.get $c))
                      (f32x4.add (v128.load (i32.add (local.get $wrow) (local.get $c)))
                        (f32x4.mul (v128.load (i32.add (local.get $dyrow) (local.get $c)))
                          (v128.load (i32.add (local.get $xrow) (local.get $c))))))
                    (local.set $c (i32.add (local.get $c) (i32.const 16)))
                    (br $vc)))
                (block $sc_done
                  (loop $sc
                    (br_if $sc_done (i32.ge_u (local.get $c) (local.get $bytes)))
                    (f32.store (i32.add (local.get $wrow) (local.get $c))
                      (f32.add (f32.load (i32.add (local.get $wrow) (local.get $c)))
                        (f32.mul (f32.load (i32.add (local.get $dyrow) (local.get $c)))
                          (f32.load (i32.add (local.get $xrow) (local.get $c))))))
                    (local.set $c (i32.add (local.get $c) (i32.const 4)))
                    (br $sc)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tap)))
        (local.set $bt (i32.add (local.get $bt) (i32.const 1)))
        (br $row))))

  ;; ---- masked softmax over rows of `cols` floats (attention: scores + additive key mask) ----
  ;; Row r reads the mask row r / rows_per_mask (scores [b, heads, s, s] with the mask [b, s]:
  ;; rows_per_mask = heads * s). v = x + mask; y = exp(v - max v) * (1 / sum exp(v - max v)),
  ;; as XNNPACK's softmax (max, exponentials and their sum, one scale). exp is $exp4 below
  ;; (anything under e^-87 is 0: the masked keys, whose v is about -1e9, get exactly 0).
  (func $hmax (param $v v128) (result f32)
    (f32.max
      (f32.max (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.max (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  (func (export "masked_softmax")
    (param $x i32) (param $mask i32) (param $y i32) (param $rows i32) (param $cols i32)
    (param $rows_per_mask i32)
    (local $r i32) (local $i i32) (local $end i32) (local $bytes i32) (local $k i32)
    (local $xr i32) (local $mr i32) (local $yr i32) (local $v v128) (local $acc v128)
    (local $max f32) (local $sum f32) (local $inv f32) (local $vmax v128)
    (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (local.set $k (i32.and (local.get $cols) (i32.const 3)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $xr (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $bytes))))
        (local.set $yr (i32.add (local.get $y) (i32.mul (local.get $r) (local.get $bytes))))
        (local.set $mr (i32.add (local.get $mask) (i32.mul
          (i32.div_u (local.get $r) (local.get $rows_per_mask)) (local.get $bytes))))
        ;; pass 1: y = x + mask, and the row's maximum
        (local.set $acc (f32x4.splat (f32.const -inf)))
        (local.set $i (i32.const 0))
        (block $p1_done
          (loop $p1
            (br_if $p1_done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $v (f32x4.add (v128.load (i32.add (local.get $xr) (local.get $i)))
              (v128.load (i32.add (local.get $mr) (local.get $i)))))
            (v128.store (i32.add (local.get $yr) (local.get $i)) (local.get $v))
            (local.set $acc (f32x4.max (local.get $acc) (local.get $v)))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $p1)))
        (local.set $max (call $hmax (local.get $acc)))
        (block $t1_done
          (loop $t1
            (br_if $t1_done (i32.ge_u (local.get $i) (local.get $bytes)))
            (local.set $sum (f32.add (f32.load (i32.add (local.get $xr) (local.get $i)))
              (f32.load (i32.add (local.get $mr) (local.get $i)))))
            (f32.store (i32.add (local.get $yr) (local.get $i)) (local.get $sum))
            (local.set $max (f32.max (local.get $max) (local.get $sum)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $t1)))
        ;; pass 2: y = exp(y - max), and their sum
        (local.set $vmax (f32x4.splat (local.get $max)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $p2_done
          (loop $p2
            (br_if $p2_done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $v (call $exp4
              (f32x4.sub (v128.load (i32.add (local.get $yr) (local.get $i))) (local.get $vmax))))
            (v128.store (i32.add (local.get $yr) (local.get $i)) (local.get $v))
            (local.set $acc (f32x4.add (local.get $acc) (local.get $v)))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $p2)))
        (if (local.get $k)
          (then
            ;; lanes past the row are masked out of the sum and not stored
            (local.set $v (call $exp4 (f32x4.sub
              (call $load_tail (i32.add (local.get $yr) (local.get $i)) (local.get $k))
              (local.get $vmax))))
            (call $store_tail (i32.add (local.get $yr) (local.get $i)) (local.get $k)
              (local.get $v))
            (local.set $acc (f32x4.add (local.get $acc)
              (v128.and (call $tail_mask (local.get $k)) (local.get $v))))))
        (local.set $sum (call $hsum (local.get $acc)))
        ;; pass 3: y *= 1 / sum
        (local.set $inv (f32.div (f32.const 1) (local.get $sum)))
        (local.set $vmax (f32x4.splat (local.get $inv)))
        (local.set $i (i32.const 0))
        (block $p3_done
          (loop $p3
            (br_if $p3_done (i32.ge_u (local.get $i) (local.get $end)))
            (v128.store (i32.add (local.get $yr) (local.get $i))
              (f32x4.mul (v128.load (i32.add (local.get $yr) (local.get $i))) (local.get $vmax)))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $p3)))
        (block $t3_done
          (loop $t3
            (br_if $t3_done (i32.ge_u (local.get $i) (local.get $bytes)))
            (f32.store (i32.add (local.get $yr) (local.get $i))
              (f32.mul (f32.load (i32.add (local.get $yr) (local.get $i))) (local.get $inv)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $t3)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; dx = dy * y - sum(dy * y) * y per row, in the order of tfjs's softmax gradient (the mask has
  ;; none)
  (func (export "softmax_grad")
    (param $dy i32) (param $y i32) (param $dx i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $i i32) (local $end i32) (local $bytes i32) (local $base i32)
    (local $acc v128) (local $s f32) (local $vs v128) (local $w v128)
    (local $ws f32)
    (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $base (i32.mul (local.get $r) (local.get $bytes)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $p1_done
          (loop $p1
            (br_if $p1_done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul
              (v128.load (i32.add (local.get $dy) (i32.add (local.get $base) (local.get $i))))
              (v128.load (i32.add (local.get $y) (i32.add (local.get $base) (local.get $i)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $p1)))
        (local.set $s (call $hsum (local.get $acc)))
        (block $t1_done
          (loop $t1
            (br_if $t1_done (i32.ge_u (local.get $i) (local.get $bytes)))
            (local.set $s (f32.add (local.get $s) (f32.mul
              (f32.load (i32.add (local.get $dy) (i32.add (local.get $base) (local.get $i))))
              (f32.load (i32.add (local.get $y) (i32.add (local.get $base) (local.get $i)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $t1)))
        (local.set $vs (f32x4.splat (local.get $s)))
        (local.set $i (i32.const 0))
        (block $p2_done
          (loop $p2
            (br_if $p2_done (i32.ge_u (local.get $i) (local.get $end)))
            (v128.store (i32.add (local.get $dx) (i32.add (local.get $base) (local.get $i)))
              (f32x4.sub
                (f32x4.mul
                  (v128.load (i32.add (local.get $dy) (i32.add (local.get $base) (local.get $i))))
                  (local.tee $w (v128.load
                    (i32.add (local.get $y) (i32.add (local.get $base) (local.get $i))))))
                (f32x4.mul (local.get $vs) (local.get $w))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $p2)))
        (block $t2_done
          (loop $t2
            (br_if $t2_done (i32.ge_u (local.get $i) (local.get $bytes)))
            (f32.store (i32.add (local.get $dx) (i32.add (local.get $base) (local.get $i)))
              (f32.sub
                (f32.mul
                  (f32.load (i32.add (local.get $dy) (i32.add (local.get $base) (local.get $i))))
                  (local.tee $ws
                    (f32.load (i32.add (local.get $y) (i32.add (local.get $base) (local.get $i))))))
                (f32.mul (local.get $s) (local.get $ws))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $t2)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; ---- exact GELU, x * Phi(x), and its derivative Phi(x) + x * phi(x) ----
  ;; exp: x = n ln2 + r with n = nearest(x / ln2), |r| <= ln2 / 2; e^r by its degree-7 Taylor
  ;; polynomial (relative error < 2e-8 there), 2^n by building the exponent bits. Inputs are
  ;; clamped to [-87, 88] and anything below -87 gives 0 (no denormals; GELU only takes exp of
  ;; -x^2 / 2, where anything that small is lost against 1 anyway).
  (func $exp4 (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128) (local $live v128)
    ;; exp of anything below -87 is flushed to 0 (also -inf, and x^2 that overflowed)
    (local.set $live (f32x4.ge (local.get $x) (f32x4.splat (f32.const -87))))
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (f32x4.splat (f32.const -87)))
      (f32x4.splat (f32.const 88))))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x)
      (f32x4.splat (f32.const 1.44269504088896341)))))
    ;; r = x - n * ln2, with ln2 split in a high part exact in f32 times small n and a low part
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375))))
      (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.98412698e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (f32x4.splat (f32.const 1.38888889e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (f32x4.splat (f32.const 8.33333333e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (f32x4.splat (f32.const 4.16666667e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (f32x4.splat (f32.const 1.66666667e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (f32x4.splat (f32.const 0.5))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (f32x4.splat (f32.const 1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (f32x4.splat (f32.const 1))))
    (v128.and (local.get $live)
      (f32x4.mul (local.get $p)
        (i32x4.shl
          (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127)))
          (i32.const 23)))))

  ;; Phi(x) = 0.5 (1 + erf(x / sqrt 2)) and e = exp(-x^2 / 2), erf by Abramowitz & Stegun 7.1.26
  ;; (|error| <= 1.5e-7): erf(z) = sign(z) (1 - t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) e^-z^2)
  ;; with t = 1 / (1 + p |z|).
  (func $phi4 (param $x v128) (result v128 v128)
    (local $z v128) (local $a v128) (local $t v128) (local $q v128) (local $e v128)
    (local.set $z (f32x4.mul (local.get $x) (f32x4.splat (f32.const 0.70710678118654752))))
    (local.set $a (f32x4.abs (local.get $z)))
    (local.set $e (call $exp4 (f32x4.neg (f32x4.mul (local.get $a) (local.get $a)))))
    (local.set $t (f32x4.div (f32x4.splat (f32.const 1))
      (f32x4.add (f32x4.splat (f32.const 1))
        (f32x4.mul (local.get $a) (f32x4.splat (f32.const 0.3275911))))))
    (local.set $q (f32x4.splat (f32.const 1.061405429)))
    (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $t))
      (f32x4.splat (f32.const -1.453152027))))
    (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $t))
      (f32x4.splat (f32.const 1.421413741))))
    (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $t))
      (f32x4.splat (f32.const -0.284496736))))
    (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $t))
      (f32x4.splat (f32.const 0.254829592))))
    ;; erf(|z|) = 1 - t q e, then the sign of z
    (local.set $q (f32x4.sub (f32x4.splat (f32.const 1))
      (f32x4.mul (f32x4.mul (local.get $t) (local.get $q)) (local.get $e))))
    (local.set $q (v128.or (local.get $q)
      (v128.and (local.get $z) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
    (f32x4.mul (f32x4.splat (f32.const 0.5)) (f32x4.add (f32x4.splat (f32.const 1)) (local.get $q)))
    (local.get $e))

  (func $gelu4 (param $x v128) (result v128)
    (local $e v128)
    (call $phi4 (local.get $x))
    (local.set $e)
    (local.get $x)
    (f32x4.mul))

  ;; dx = dy * (Phi(x) + x * phi(x)), phi(x) = e / sqrt(2 pi)
  (func $gelu_grad4 (param $x v128) (param $dy v128) (result v128)
    (local $c v128) (local $e v128)
    (call $phi4 (local.get $x))
    (local.set $e)
    (local.set $c)
    (f32x4.mul (local.get $dy)
      (f32x4.add (local.get $c)
        (f32x4.mul (local.get $x)
          (f32x4.mul (f32x4.splat (f32.const 0.398942280401432678)) (local.get $e))))))

  (func (export "gelu") (param $x i32) (param $y i32) (param $n i32)
    (local $i i32) (local $end i32) (local $k i32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $y) (local.get $i))
          (call $gelu4 (v128.load (i32.add (local.get $x) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.set $k (i32.and (local.get $n) (i32.const 3)))
    (if (local.get $k)
      (then
        (call $store_tail (i32.add (local.get $y) (local.get $i)) (local.get $k)
          (call $gelu4
            (call $load_tail (i32.add (local.get $x) (local.get $i)) (local.get $k)))))))

  (func (export "gelu_grad") (param $x i32) (param $dy i32) (param $dx i32) (param $n i32)
    (local $i i32) (local $end i32) (local $k i32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $dx) (local.get $i))
          (call $gelu_grad4 (v128.load (i32.add (local.get $x) (local.get $i)))
            (v128.load (i32.add (local.get $dy) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.set $k (i32.and (local.get $n) (i32.const 3)))
    (if (local.get $k)
      (then
        (call $store_tail (i32.add (local.get $dx) (local.get $i)) (local.get $k)
          (call $gelu_grad4
            (call $load_tail (i32.add (local.get $x) (local.get $i)) (local.get $k))
            (call $load_tail (i32.add (local.get $dy) (local.get $i)) (local.get $k)))))))
)
