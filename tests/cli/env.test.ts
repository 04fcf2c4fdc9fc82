import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sokoban } from '../../src-main/core/envs/sokoban/environment.ts'
import { household } from '../../src-main/core/envs/household/environment.ts'
import { tempDir } from '../fixtures/tmp.ts'

const leafe = (args: string[], input = '') => spawnSync(process.execPath, ['bin/leafe.js', ...args], { encoding: 'utf8', input, timeout: 120_000 })
const MICROBAN = '../shared/datasets/xsb/microban.xsb'

describe('leafe env', () => {
  it('play: a person (or a pipe) plays Sokoban line by line, with undo, hint and the critic at the end', async () => {
    const [task] = sokoban.tasks('train', 1, 3, { preset: '7x7-2' })
    const r = leafe(['env', 'play', 'sokoban', '--seed', '3', '--preset', '7x7-2', '--data-dir', tempDir()], 'up\njump\nundo\nhint\nquit\n')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain(`Sokoban · task ${task!.id} (train, seed 3)`)
    expect(r.stdout).toContain(task!.meta!.level as string)
    expect(r.stdout).toContain('> jump\n"jump" is not an action. Valid actions: up, down, left, right (or u, d, l, r). Nothing moved.')
    expect(r.stdout).toContain('Undone; back to move 1.')
    expect(r.stdout).toMatch(/Hint: (up|down|left|right)/)
    const plan = (await sokoban.expert!(task!))!
    const solved = leafe(['env', 'play', 'sokoban', '--seed', '3', '--preset', '7x7-2', '--data-dir', tempDir()], plan.join('\n') + '\n')
    expect(solved.stdout).toContain('Every box is on a goal: the level is solved!')
    expect(solved.stdout).toContain(`Done in ${plan.length} moves.`)
    const out = leafe(['env', 'play', 'sokoban', '--preset', '6x6-1', '--seed', '0', '--max-steps', '12', '--data-dir', tempDir()], Array(12).fill('wait').join('\n'))
    // Running out of moves: the critic blames the first move the level could not spare.
    expect(out.stdout).toMatch(/The episode ended without success after 12 moves\.\nCritic \(step (\d+)\): At step \1, the invalid action "wait" wasted a move the level could not spare: from there it needs \d+ more moves, but only \d+ were left within the limit of 12\./)
  })

  it('play: the household, with its admissible actions', async () => {
    const [task] = household.tasks('train', 1, 5, { family: 'pick_clean_then_place' })
    const plan = (await household.expert!(task!))!
    const r = leafe(['env', 'play', 'household', '--seed', '5', '--family', 'pick_clean_then_place', '--data-dir', tempDir()], ['actions', ...plan].join('\n'))
    expect(r.status).toBe(0)
    expect(r.stdout).toContain(`Your task is to: ${task!.instruction}`)
    expect(r.stdout).toContain('inventory\nlook')
    expect(r.stdout).toContain('You have completed the task!')
    expect(r.stdout).toContain(`Done in ${plan.length} moves.`)
  })

  it('generate makes a set once and finds it again; bad parameters say what was wrong', () => {
    const dir = tempDir()
    const first = leafe(['env', 'generate', 'sokoban', '--split', 'test', '--count', '5', '--preset', '6x6-1', '--data-dir', dir])
    expect(first.stdout).toMatch(/^Created task set "sokoban\/test\/[0-9a-f]{8}\/s0-n5": 5 sokoban tasks \(test, seeds 2000000000–2000000004\)\.\n$/)
    const again = leafe(['env', 'generate', 'sokoban', '--split', 'test', '--count', '5', '--preset', '6x6-1', '--data-dir', dir])
    expect(again.stdout).toMatch(/^Found task set/)
    const list = JSON.parse(leafe(['env', 'list', '--json', '--data-dir', dir]).stdout)
    expect(list.environments.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining(['sokoban', 'household']))
    expect(list.taskSets).toHaveLength(1)
    const bad = leafe(['env', 'generate', 'household', '--split', 'test', '--count', '5', '--preset', '6x6-1', '--data-dir', dir])
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/Household parameters: .*preset/)
    expect(leafe(['env', 'play', 'chess', '--data-dir', dir]).stderr).toMatch(/There is no environment "chess" \(known: sokoban, household/)
    expect(leafe(['env', 'dance']).status).toBe(2)
  })

  it.skipIf(!existsSync(MICROBAN))('import stores a file of levels, or nothing with the line and reason', () => {
    const dir = tempDir()
    const ok = leafe(['env', 'import', MICROBAN, '--name', 'microban', '--data-dir', dir])
    expect(ok.stdout.split('\n').slice(0, 3)).toEqual([
      'Imported 142 levels as task set "microban" (split test).',
      'Left out 13 levels that cannot be solved within the step limit (--max-steps N keeps them with a higher one):',
      '  level 60 (line 622) needs 169 moves, more than its step limit of 120',
    ])
    const broken = join(tempDir(), 'broken.xsb')
    const lines = readFileSync(MICROBAN, 'utf8').split('\n')
    lines[247] = '  #    '
    writeFileSync(broken, lines.join('\n'))
    const r = leafe(['env', 'import', broken, '--data-dir', dir])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/broken\.xsb: level 24 \(starting at line 247\), line 248, column 6: the room is open to the outside/)
    const sets = JSON.parse(leafe(['env', 'list', '--json', '--data-dir', dir]).stdout).taskSets
    expect(sets.map((s: { name: string }) => s.name)).toEqual(['microban'])
    const played = leafe(['env', 'play', 'sokoban', '--set', 'microban', '--task', '44', '--data-dir', dir], 'right\n')
    expect(played.stdout).toContain('Done in 1 move.')
  })

  it('import leaves out, by name, a level its step limit cannot fit; a file of none such is refused and stores nothing', () => {
    const dir = tempDir()
    const levels = join(tempDir(), 'tight.xsb')
    writeFileSync(levels, ['; easy', '#####', '#@$.#', '#####', '', '; far', '########', '#@   $.#', '########', ''].join('\n'))
    const r = leafe(['env', 'import', levels, '--max-steps', '3', '--data-dir', dir])
    expect(r.status).toBe(0)
    expect(r.stderr).toContain('Checking that each of the 2 levels can be solved within its step limit…')
    expect(r.stdout).toBe(
      'Imported 1 level as task set "tight" (split test).\n' +
        'Left out 1 level that cannot be solved within the step limit (--max-steps N keeps them with a higher one):\n' +
        '  level far (line 7) needs 4 moves, more than its step limit of 3\n',
    )
    const far = join(tempDir(), 'far.xsb')
    writeFileSync(far, ['; far', '########', '#@   $.#', '########', ''].join('\n'))
    const refused = leafe(['env', 'import', far, '--max-steps', '3', '--data-dir', dir])
    expect(refused.status).toBe(1)
    expect(refused.stderr.trim().split('\n').at(-1)).toBe('leafe env: far.xsb: no level can be solved within its step limit (level far (line 2) needs 4 moves, more than its step limit of 3); raise it with --max-steps. Nothing was imported.')
    expect(JSON.parse(leafe(['env', 'list', '--json', '--data-dir', dir]).stdout).taskSets.map((s: { name: string }) => s.name)).toEqual(['tight'])
  })
})
