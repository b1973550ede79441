/**
 * Attack recipes by TextAttack's names. `buildRecipe("textfooler", { victim, embedding })`.
 */
import type { Attack } from "../attack.ts";
import { baeGarg2019 } from "./bae_garg_2019.ts";
import { deepWordBugGao2018 } from "./deepwordbug_gao_2018.ts";
import { pwwsRen2019 } from "./pwws_ren_2019.ts";
import { textBuggerLi2018 } from "./textbugger_li_2018.ts";
import { textFoolerJin2019, type TextFoolerOptions } from "./textfooler_jin_2019.ts";
import type { RecipeOptions } from "./_options.ts";

export type { RecipeOptions } from "./_options.ts";
export type { TextFoolerOptions } from "./textfooler_jin_2019.ts";
export { baeGarg2019, deepWordBugGao2018, pwwsRen2019, textBuggerLi2018, textFoolerJin2019 };

export interface RecipeEntry {
  build: (options: RecipeOptions & TextFoolerOptions) => Attack;
  citation: string;
  /** Options the recipe cannot run without (besides `victim`). */
  needs: readonly ("embedding" | "mlm")[];
  /** Options the recipe uses when they can be had, and runs without (a constraint less). */
  uses?: readonly "mlm"[];
}

export const RECIPES = {
  textfooler: {
    build: textFoolerJin2019,
    citation: "Jin et al. 2020 (AAAI), arXiv:1907.11932",
    needs: ["embedding"],
    // the masked-LM fluency check; without a masked LM (e.g. the MRPC teacher) it is left out
    uses: ["mlm"],
  },
  pwws: { build: pwwsRen2019, citation: "Ren et al. 2019 (ACL), P19-1103", needs: [] },
  deepwordbug: {
    build: deepWordBugGao2018,
    citation: "Gao et al. 2018 (IEEE SPW), arXiv:1801.04354",
    needs: [],
  },
  textbugger: {
    build: textBuggerLi2018,
    citation: "Li et al. 2019 (NDSS), arXiv:1812.05271",
    needs: ["embedding"],
  },
  bae: {
    build: baeGarg2019,
    citation: "Garg & Ramakrishnan 2020 (EMNLP), arXiv:2004.01970",
    needs: ["mlm", "embedding"],
  },
} as const satisfies Record<string, RecipeEntry>;

export type RecipeName = keyof typeof RECIPES;
export const RECIPE_NAMES: readonly RecipeName[] = Object.keys(RECIPES) as RecipeName[];

export function buildRecipe(
  name: RecipeName | string,
  options: RecipeOptions & TextFoolerOptions,
): Attack {
  if (!Object.hasOwn(RECIPES, name)) {
    throw new RangeError(`Unknown attack recipe "${name}"; valid: ${RECIPE_NAMES.join(", ")}`);
  }
  return RECIPES[name as RecipeName].build(options);
}

/** What a recipe uses when it can be had (`RECIPES[name].uses`); unknown names are refused. */
export function recipeUses(name: string): readonly "mlm"[] {
  recipeNeeds(name);
  return (RECIPES[name as RecipeName] as RecipeEntry).uses ?? [];
}

/** What a recipe needs besides the victim (`RECIPES[name].needs`); unknown names are refused. */
export function recipeNeeds(name: string): readonly ("embedding" | "mlm")[] {
  if (!Object.hasOwn(RECIPES, name)) {
    throw new RangeError(`Unknown attack recipe "${name}"; valid: ${RECIPE_NAMES.join(", ")}`);
  }
  return RECIPES[name as RecipeName].needs;
}
