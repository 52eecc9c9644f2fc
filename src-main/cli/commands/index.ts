import type { Command } from '../command'
import { projectCreateCommand, projectListCommand } from './project'
import { statusCommand } from './status'

/** Every `lab` command. Add a command by importing it here. */
export const commands: readonly Command[] = [statusCommand, projectListCommand, projectCreateCommand]
