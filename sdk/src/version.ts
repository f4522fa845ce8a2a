/** The instrumentation scope of the spans this package makes (checked against package.json by a test). */
export const SDK_NAME = '@spanlens/sdk';
export const SDK_VERSION = '0.1.0';
