/**
 * The dollar-quote tag for a PL/pgSQL block's `body`: `$migrator$`, or `$migrator1$`… when the body
 * holds that text (a name or value may): the block then ends where it should.
 */
export function dollarTag(body: string): string {
  let tag = '$migrator$'
  for (let n = 1; body.includes(tag); n++) tag = `$migrator${n}$`
  return tag
}

/** `DO $migrator$ body $migrator$`: an anonymous PL/pgSQL block running `body` (`BEGIN … END`, with its `DECLARE`). */
export function doBlock(body: string): string {
  const tag = dollarTag(body)
  return `DO ${tag} ${body} ${tag}`
}

/**
 * A condition true when column `columnLiteral` of `relationLiteral` (both SQL string literals, the
 * relation quoted and qualified as in DDL) is an identity column when the block runs; a `serial`
 * column, which the models cannot tell from one, is not.
 */
export function isIdentityColumnSql(relationLiteral: string, columnLiteral: string): string {
  return `EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = ${relationLiteral}::regclass AND attname = ${columnLiteral} AND attidentity <> '')`
}
