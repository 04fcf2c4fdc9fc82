export type Command = {
  name: string
  summary: string
  /** Options and arguments, as shown after `leafe <name>`. */
  usage: string
  run(argv: string[]): Promise<number>
}
