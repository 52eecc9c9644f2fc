/** 实验室各界面的简体中文文字，键与 en-lab.ts 一致。 */
import type enLab from './en-lab'

const zhCNLab: typeof enLab = {
  datasets: {
    title: '数据集',
    intro: 'AdvLab 可用于训练与攻击的数据：内置 MNIST、已安装时的 Fashion-MNIST，以及您添加的文件夹。数据在原处读取，并只检查一次。',
    loading: '正在加载数据集…',
    loadFailed: '无法加载数据集。',
    empty: '尚未注册任何数据集。请在上方添加文件夹。',
    builtin: '内置',
    splits: '图像数',
    splitCount: '{split}：{count}',
    shape: '图像形状',
    classes: '类别',
    classCount: '{count} 个类别',
    mean: '均值（每通道）',
    std: '标准差（每通道）',
    source: '读取位置',
    previewAlt: '{name} 的预览：{classes} 个类别各 {perClass} 张样本图像，每行一个类别',
    previewCaption: '每行一个类别，样本取自训练集。',
    noPreview: '此数据集没有保存预览网格。',
    remove: '移除',
    removeConfirm: '从实验室中移除“{name}”？磁盘上的文件保持不变。',
    removeYes: '确认移除',
    addTitle: '添加数据集文件夹',
    addHint: '支持 IDX（MNIST 格式，原始或 .gz）、CIFAR-10/100 二进制或 Python pickle，以及每个类别一个子文件夹的图像文件夹。AdvLab 会先检测格式并告诉您结果。',
    path: '文件夹路径',
    pathPlaceholder: '例如 /home/me/data/cifar-10-batches-bin',
    pathRequired: '请输入本机上某个文件夹的路径。',
    detect: '检测格式',
    detecting: '正在检测…',
    name: '在实验室中的名称（可选）',
    namePlaceholder: '默认为文件夹名',
    register: '注册',
    registering: '正在注册…',
    reading: '正在读取图像：{step} / {total}',
    registered: '数据集“{name}”已注册。',
    alreadyRegistered: '相同内容已注册为“{name}”。',
    detectFailed: '无法将该文件夹读取为数据集。',
    registerFailed: '无法注册该数据集。',
    fixHint: '请修复上面指出的文件或文件夹，或选择其他文件夹后重试。未注册任何内容。',
    formats: {
      idx: 'IDX',
      'cifar10-bin': 'CIFAR-10 二进制',
      'cifar100-bin': 'CIFAR-100 二进制',
      'cifar10-py': 'CIFAR-10 pickle',
      'cifar100-py': 'CIFAR-100 pickle',
      imagefolder: '图像文件夹'
    }
  }
}

export default zhCNLab
