export function run(_argv: string[]): void { throw new Error("not implemented yet"); }
