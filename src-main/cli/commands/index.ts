import type { Command } from '../command'
import { projectCreateCommand, projectListCommand } from './project'
import { statusCommand } from './status'
import { distillCommand, resumeCommand, runsCommand, trainCommand } from './train'
import { datasetAddCommand, datasetListCommand, datasetRemoveCommand, datasetShowCommand } from './dataset'
import { logCommands } from './log'
import { exportWeightsCommand, importWeightsCommand } from './weights'
import { studyCommands } from './study'
import { sweepCommands } from './sweep-emit'
import { evaluationCommands } from './attack'
import { corruptionsCommand } from './corruptions'

/** Every `lab` command. Add a command by importing it here. */
export const commands: readonly Command[] = [
  statusCommand,
  projectListCommand,
  projectCreateCommand,
  datasetAddCommand,
  datasetListCommand,
  datasetShowCommand,
  datasetRemoveCommand,
  trainCommand,
  distillCommand,
  resumeCommand,
  runsCommand,
  importWeightsCommand,
  exportWeightsCommand,
  ...logCommands,
  ...evaluationCommands,
  corruptionsCommand,
  ...studyCommands,
  ...sweepCommands
]
