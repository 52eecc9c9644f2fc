/** 简体中文界面文字。键必须与 en.ts 完全一致（test/unit/renderer 会检查）。 */
import type { Messages } from './en'
import zhCNLab from './zh-CN-lab'

const zhCN: Messages = {
  app: {
    name: 'AdvLab',
    tagline: '对抗鲁棒性实验室',
    skipToContent: '跳到正文'
  },
  nav: {
    label: '主导航',
    home: '首页',
    datasets: '数据集',
    runs: '运行',
    compare: '对比',
    studies: '种子研究',
    settings: '设置'
  },
  theme: {
    label: '主题',
    light: '浅色',
    dark: '深色',
    switchToDark: '切换到深色主题',
    switchToLight: '切换到浅色主题'
  },
  language: {
    label: '语言',
    en: 'English',
    zhCN: '简体中文'
  },
  connection: {
    connecting: '正在连接 AdvLab 服务…',
    reconnecting: '与 AdvLab 服务的连接已断开，正在重新连接…',
    reconnected: '已重新连接到 AdvLab 服务。',
    closed: '此窗口已不再连接 AdvLab 服务，请重新加载页面。'
  },
  errors: {
    unexpected: '此窗口中出现了问题',
    requestFailed: '无法{action}',
    dismiss: '关闭',
    notifications: '通知',
    codes: {
      invalid_params: '输入无效',
      unknown_method: '未知请求',
      not_found: '未找到',
      conflict: '冲突',
      unauthorized: '未授权',
      bad_input: '输入无法使用',
      unavailable: '服务不可用',
      internal: '内部错误'
    }
  },
  requests: {
    status_get: '读取实验室状态',
    projects_list: '加载项目',
    projects_create: '创建项目',
    projects_rename: '重命名项目',
    datasets_list: '加载数据集',
    datasets_preview: '加载预览网格',
    datasets_detect: '检测数据集格式',
    datasets_register: '注册数据集',
    datasets_remove: '移除数据集',
    runs_list: '加载运行列表',
    runs_select: '加载运行列表',
    runs_get: '加载运行',
    runs_compare: '比较运行',
    runs_metrics: '加载训练曲线',
    runs_events: '加载事件日志',
    runs_cancel: '取消运行',
    runs_resume: '恢复运行',
    runs_delete: '将运行移入回收站',
    runs_tag: '为运行添加标签',
    runs_untag: '移除标签',
    runs_note: '保存备注',
    runs_star: '标星运行',
    train_start: '开始训练',
    train_estimate: '估计耗时',
    distill_start: '开始蒸馏',
    sweep_start: '开始攻击扫描',
    attack_start: '开始攻击',
    eval_start: '开始评估',
    evaluations_list: '加载评估结果',
    export_table: '导出表格',
    export_report: '生成 HTML 报告',
    export_bundle: '生成打包文件',
    export_mlflow: '导出到 MLflow',
    export_tensorboard: '导出到 TensorBoard',
    log_backup: '备份日志',
    studies_start: '启动研究',
    studies_estimate: '规划研究',
    studies_cancel: '取消研究',
    studies_report: '读取研究报告',
    settings_set: '保存引擎设置',
    log_restore: '恢复日志'
  },
  common: {
    loading: '加载中…',
    retry: '重试',
    save: '保存',
    cancel: '取消',
    none: '无',
    notApplicable: '—'
  },
  home: {
    title: '首页',
    intro: '本实验室的状态：由哪个引擎计算、正在运行什么、最近的运行和项目。',
    seedStudy: '复现种子研究',
    seedStudyNote: '在内置 MNIST 上一次完成：基线、防御性蒸馏、蒸馏 + PGD 以及梯度掩蔽玩具，并用 FGSM、PGD 和 AutoAttack 评估——本实验室所围绕的研究。',
    recent: '最近的运行',
    allRuns: '全部运行',
    noRecent: '还没有已结束的运行。',
    loopTitle: '实验室的工作流程',
    loop: { data: '数据', train: '训练基线', attack: '攻击它', defend: '防御', evaluate: '诚实地评估', compare: '比较与导出' },
    loopBody: '从内置 MNIST 开始：训练一个小基线（在本机 CPU 上约一分钟），用 FGSM 和 PGD 在几个 ε 下攻击它，然后尝试一种防御并比较。每次运行、每个指标和结果都保存在日志中。',
    firstRun: '训练第一个基线',
    seeData: '查看数据集'
  },
  status: {
    title: '实验室状态',
    loading: '正在检查引擎和日志…',
    loadFailed: '无法读取实验室状态。',
    engine: '引擎',
    backend: '后端',
    device: '设备',
    skipped: '跳过的后端',
    noneSkipped: '无——首选后端可用。',
    versions: '版本',
    appVersion: 'AdvLab',
    node: 'Node.js',
    sqlite: 'SQLite',
    electron: 'Electron',
    tfjs: 'TensorFlow.js',
    notElectron: '未在 Electron 中运行（服务模式）',
    storage: '存储',
    dataDir: '数据目录',
    logPath: '实验日志',
    counts: '日志中',
    projects: '项目',
    runs: '运行',
    datasets: '数据集',
    setAsideTitle: '之前的日志已被移到一旁',
    setAside: '启动时发现的日志无法使用（{reason}）。它已被移到 {path}，并开始了新的日志。没有覆盖任何内容；你可以自行检查或恢复旧文件。'
  },
  jobs: {
    title: '正在运行的任务',
    none: '当前没有正在运行的任务。',
    progress: '{phase}：{step} / {total}',
    eta: '约剩 {seconds} 秒'
  },
  projects: {
    title: '项目',
    empty: '还没有项目。创建一个项目来归组你的运行。',
    loading: '正在加载项目…',
    loadFailed: '无法加载项目。',
    newName: '新项目名称',
    newNamePlaceholder: '例如：MNIST 蒸馏研究',
    create: '创建项目',
    creating: '正在创建…',
    created: '已创建项目“{name}”。',
    rename: '重命名',
    renameLabel: '“{name}”的新名称',
    renamed: '项目已重命名为“{name}”。',
    saving: '正在保存…',
    runCount: '没有运行 | 1 次运行 | {count} 次运行',
    createdAt: '创建于 {date}',
    listLabel: '本实验室中的项目',
    nameRequired: '请输入名称，名称不能为空。',
    nameTooLong: '名称最多 {max} 个字符（当前为 {length} 个）。'
  },
  comingSoon: {
    title: '将在下一版本中提供',
    datasets: '这里将显示数据集的注册（MNIST、CIFAR-10、图像文件夹）、按类别预览以及统计检查。',
    runs: '这里将列出每一次训练、攻击和评估运行，包括实时进度、筛选以及取消 / 恢复。',
    compare: '这里将并排显示所选运行：干净准确率与鲁棒准确率、ε 曲线、训练曲线以及配置差异。',
    nothingFake: '在实验室能用真实结果填充之前，此页面保持为空。'
  },
  settings: {
    title: '设置',
    appearance: '外观',
    languageHint: '界面语言。实验室服务本身的消息（错误信息）仍为英文。',
    themeHint: '保存在此窗口中；首次启动时跟随系统设置。',
    lab: '实验室',
    dataDir: '数据目录',
    logPath: '实验日志',
    backendOverride: '后端',
    automatic: '自动（最佳可用）',
    workers: '同时运行的任务数（工作线程）',
    workersHint: '每个任务在各自的工作线程中训练或攻击；本机有 {cores} 个核心。',
    engineSaved: '已保存：引擎现在在 {backend} 上运行，使用 {workers} 个工作线程。',
    backupTitle: '备份与恢复',
    backupPath: '将日志备份到',
    backup: '立即备份',
    backupDone: '备份已写入 {path}（{size} kB）。',
    restorePath: '从以下位置恢复日志',
    restore: '恢复…',
    restoreConfirm: '立即替换日志',
    restoreDone: '已从 {from} 恢复日志；之前的日志保存在 {saved}。',
    restoreHint: '恢复会替换整个日志；当前日志会先保存在旁边。有运行排队或正在运行时会被拒绝。'
  },
  notFound: {
    title: '页面未找到',
    body: '此地址没有内容。',
    home: '返回首页'
  },
  ...zhCNLab
}

export default zhCN
