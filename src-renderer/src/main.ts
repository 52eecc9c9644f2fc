import './zodSetup' // first: before any contract schema exists
import { createApp, watch } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { chooseTransport } from './api/chooseTransport'
import { installApi } from './api'
import { apiErrorOf } from './api/errors'
import { createAppI18n } from './i18n'
import { createAppRouter } from './router'
import { registerCharts } from './charts/echarts'
import { useLanguageStore } from './stores/language'
import { useThemeStore } from './stores/theme'
import { useConnectionStore } from './stores/connection'
import { useNoticesStore } from './stores/notices'
import { keepStoresLive } from './stores/live'
// A CJK font shipped with the app, served from its own files (CSP font-src 'self'): without it a
// machine with no Chinese font shows every 简体中文 character as a box. The simplified-Chinese
// subset (about 1 MB per weight), loaded only when a page shows Chinese.
import '@fontsource/noto-sans-sc/chinese-simplified-400.css'
import '@fontsource/noto-sans-sc/chinese-simplified-700.css'
import './styles/theme.css'
import './styles/base.css'
import './styles/screens.css'

const chosen = chooseTransport(window)
installApi(chosen.transport)

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)

const language = useLanguageStore()
const theme = useThemeStore()
const i18n = createAppI18n(language.language)
app.use(i18n)
app.use(createAppRouter())
registerCharts(app)

watch(
  () => language.language,
  (next) => {
    i18n.global.locale.value = next
    document.documentElement.lang = next
  },
  { immediate: true }
)
watch(
  () => theme.theme,
  (next) => {
    document.documentElement.dataset.theme = next
    document.documentElement.style.colorScheme = next
  },
  { immediate: true }
)

useConnectionStore().kind = chosen.kind
keepStoresLive(chosen)

// A bug in a screen still ends as one readable notice, never as a silent blank or a stack trace.
const notices = useNoticesStore()
app.config.errorHandler = (error) => {
  console.error(error)
  notices.reportFailure(undefined, apiErrorOf(error))
}
window.addEventListener('unhandledrejection', (event) => {
  notices.reportFailure(undefined, apiErrorOf(event.reason))
})

app.mount('#app')
