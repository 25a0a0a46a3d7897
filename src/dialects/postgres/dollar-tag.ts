/**
 * The dollar-quote tag for a PL/pgSQL block's `body`: `$migrator$`, or `$migrator1$`… when the body
 * holds that text (a name or value may): the block then ends where it should.
 */
export function dollarTag(body: string): string {
  let tag = '$migrator$'
  for (let n = 1; body.includes(tag); n++) tag = `$migrator${n}$`
  return tag
}
