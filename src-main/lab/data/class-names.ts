/** Class names of the well-known sets, used when the files themselves do not carry them. */
export const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']

/** Xiao, Rasul & Vollgraf (2017), "Fashion-MNIST", Table 1. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot'
]

/** Krizhevsky (2009), "Learning Multiple Layers of Features from Tiny Images"; also batches.meta.txt. */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']
