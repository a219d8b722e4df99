export * from './model.ts';
export * from './variants.ts';
export * from './withholding.ts';
