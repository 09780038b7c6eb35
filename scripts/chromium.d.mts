export declare const chromiumArgs: string[];
export declare function findChromium(): Promise<string | undefined>;
export declare function ensureChromium(): Promise<string | undefined>;
export declare const missingChromiumHelp: string;
