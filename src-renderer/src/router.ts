/**
 * Screens of the app. Hash history, so the same build works from file:// in Electron and from
 * serve mode (where the page address carries the token in its query).
 * Later screens (run detail, wizards) add their routes here; `nav` marks the ones in the sidebar.
 */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import HomeView from './views/HomeView.vue'
import { WIZARD_KINDS } from './wizards/kinds'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the screen's title. */
    titleKey: string
    /** Shown in the main navigation. */
    nav?: boolean
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomeView, meta: { titleKey: 'nav.home', nav: true } },
  {
    path: '/datasets',
    name: 'datasets',
    component: () => import('./views/DatasetsView.vue'),
    meta: { titleKey: 'nav.datasets', nav: true }
  },
  { path: '/runs', name: 'runs', component: () => import('./views/RunsView.vue'), meta: { titleKey: 'nav.runs', nav: true } },
  { path: '/compare', name: 'compare', component: () => import('./views/CompareView.vue'), meta: { titleKey: 'nav.compare', nav: true } },
  { path: '/runs/:id(\\d+)', name: 'run', component: () => import('./views/RunDetailView.vue'), meta: { titleKey: 'detail.title' } },
  // Only the wizards that exist: #/new/distillation is the not-found page, not an empty wizard.
  {
    path: `/new/:kind(${WIZARD_KINDS.join('|')})`,
    name: 'wizard',
    component: () => import('./views/WizardView.vue'),
    meta: { titleKey: 'wizard.title' }
  },
  { path: '/studies', name: 'studies', component: () => import('./views/StudiesView.vue'), meta: { titleKey: 'nav.studies', nav: true } },
  { path: '/studies/:id(\\d+)', name: 'study', component: () => import('./views/StudiesView.vue'), meta: { titleKey: 'nav.studies' } },
  {
    path: '/settings',
    name: 'settings',
    component: () => import('./views/SettingsView.vue'),
    meta: { titleKey: 'nav.settings', nav: true }
  },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { titleKey: 'notFound.title' } }
]

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
