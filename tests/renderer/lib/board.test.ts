import { describe, expect, it } from 'vitest'
import { describeBoard, parseBoard } from '../../../src-renderer/src/lib/board.ts'

describe('Sokoban boards from observation text', () => {
  it('reads every symbol, ignoring text around the grid', () => {
    const b = parseBoard('Step 3.\n#####\n#@$.#\n#+* #\n#####\nBoxes on goals: 1/2')!
    expect(b).toMatchObject({ width: 5, height: 4, boxes: 2, boxesOnGoal: 1 })
    expect(b.cells[1]).toEqual(['wall', 'player', 'box', 'goal', 'wall'])
    expect(b.cells[2]).toEqual(['wall', 'playerOnGoal', 'boxOnGoal', 'floor', 'wall'])
    expect(describeBoard(b)).toBe('Sokoban board 5×4: player at row 3, column 2; 1 of 2 boxes on goals.')
  })

  it('pads ragged rows and finds nothing in household text', () => {
    expect(parseBoard('####\n#@ #\n###')!.cells[2]).toEqual(['wall', 'wall', 'wall', 'floor'])
    expect(parseBoard('You are in the kitchen. You see a fridge 1.')).toBeNull()
    expect(parseBoard('# a markdown heading\n# another')).toBeNull()
    expect(parseBoard('#####\n#   #\n#####')).toBeNull() // no player: not a board
  })
})
