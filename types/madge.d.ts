// madge 8 ships no types; the part of its API server/dependency-direction.test.ts uses.
declare module "madge" {
  type MadgeConfig = {
    tsConfig?: string;
    fileExtensions?: string[];
    excludeRegExp?: RegExp[];
    baseDir?: string;
    detectiveOptions?: Record<string, { skipTypeImports?: boolean }>;
  };
  type MadgeResult = {
    /** Each module (path relative to the folder given) and the modules it imports. */
    obj(): Record<string, string[]>;
    circular(): string[][];
    warnings(): { skipped: string[] };
  };
  export default function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
}
