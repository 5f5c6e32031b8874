// ESLint flat config: type-checked TypeScript rules over every .ts/.tsx file (app, server, tests, e2e,
// bench, scripts), drizzle's where-guards on the names this codebase gives its database handles, React
// hooks rules and Next's rules. `npm run lint` runs it with --max-warnings 0; `npm test` runs it first.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Every drizzle handle in this codebase is called `db` (a pool or PGlite) or `tx` (a transaction). */
const drizzleObjectName = ["db", "tx"];

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".next/",
      ".next-e2e/",
      ".next-bench/",
      ".data/",
      "bench/.out/",
      "test-results/",
      "playwright-report/",
      "next-env.d.ts",
      "db/migrations/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `_name` marks a parameter a signature needs but the body does not use.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName }],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "trpc/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    plugins: { "@next/next": nextPlugin },
    rules: { ...nextPlugin.configs.recommended.rules, ...nextPlugin.configs["core-web-vitals"].rules },
  },
  {
    // Client components: types of what the server answers come through RouterOutputs / RouterInputs
    // (trpc/react.tsx), lists, labels and pure rules from lib/; a server module imported here lands in
    // the browser bundle.
    files: ["components/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // No exceptions: what the pages share with the server (queues, ranges, kinds, the count bound) is in lib/.
              regex: "^@/(db|server)/",
              message: "Client code takes server types from RouterOutputs/RouterInputs (trpc/react.tsx) and plain data from lib/ (move it there if the server has it).",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON off the wire (fakes' calls, answers): `any` on purpose, a wrong shape fails the assertion reading it.
    files: ["test/**/*.ts", "e2e/**/*.ts", "**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Tests empty whole tables between cases on purpose.
      "drizzle/enforce-delete-with-where": "off",
    },
  },
  {
    // Plain JavaScript config files and scripts are not part of the TypeScript program; they run in Node.
    files: ["**/*.{mjs,cjs}"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" }, // CommonJS preload: require is its import
  },
);
