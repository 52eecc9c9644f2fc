/**
 * Writing runs out of the lab: results tables (CSV, Markdown, LaTeX), the HTML report, a bundle,
 * MLflow and TensorBoard folders. Each writes one path and answers with the path written (and a
 * table's text); failures are thrown for the export panel to show in place.
 */
import { defineStore } from 'pinia'
import type { TableChoice } from '@api/results-table'
import { request } from '../api'

export type ExportKind = 'csv' | 'md' | 'latex' | 'report' | 'bundle' | 'mlflow' | 'tensorboard'
export const EXPORT_KINDS: ExportKind[] = ['csv', 'md', 'latex', 'report', 'bundle', 'mlflow', 'tensorboard']
/** How each kind's file or folder is named after the base name. */
export const EXPORT_SUFFIX: Record<ExportKind, string> = {
  csv: '.csv',
  md: '.md',
  latex: '.tex',
  report: '-report.html',
  bundle: '.advlab.zip',
  mlflow: '-mlflow',
  tensorboard: '-tensorboard'
}

export interface ExportJob {
  ids: number[]
  path: string
  title?: string
  /** The results table's columns and partial results as the screen shows them, so the export matches it. */
  choice?: TableChoice
}

export const useExportsStore = defineStore('exports', () => {
  async function write(kind: ExportKind, { ids, path, title, choice }: ExportJob): Promise<{ path: string; text?: string }> {
    switch (kind) {
      case 'csv':
      case 'md':
      case 'latex': {
        const answer = await request('export.table', { ids, format: kind, path, ...choice }, { inPlace: true })
        return { path: answer.path ?? path, text: answer.text }
      }
      case 'report':
        return { path: (await request('export.report', { ids, path, title, ...choice }, { inPlace: true })).path }
      case 'bundle':
        return { path: (await request('export.bundle', { ids, path }, { inPlace: true })).path }
      case 'mlflow':
        return { path: (await request('export.mlflow', { ids, path }, { inPlace: true })).path }
      case 'tensorboard':
        return { path: (await request('export.tensorboard', { ids, path }, { inPlace: true })).path }
    }
  }
  return { write }
})
