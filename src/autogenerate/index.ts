/**
 * Autogenerate (DESIGN §9): the models compared with the database (`compareSchemas`), the
 * differences' operations in dependency order with their downgrade (`planMigration`), rendered as
 * a revision body (`renderOperations`), and a database rendered as a models file (`renderModels`).
 */
export { compareSchemas } from './compare.js'
export type { CompareOptions, Difference, DifferenceKind, ModelSchema } from './compare.js'
export { mergeColumnAlterations, orderOperations, planMigration, reverseOperations, operationRank } from './order.js'
export type { MigrationPlan } from './order.js'
export { renderOperations, needsSqliteBatch } from './render-revision.js'
export type { RenderedOperations, RenderOptions } from './render-revision.js'
export { renderModels } from './render-models.js'
export type { RenderModelsOptions } from './render-models.js'
export { canonicalTable, canonicalType, sameType, sameDefault } from './canonical.js'
export { normalizeExpression, sameExpression } from './expressions.js'
export { ReversibleAddEnumValueOp, ReversibleExecuteOp, ReversibleUsingAlterColumnOp } from './inverse-ops.js'
