/**
 * Brightness and contrast (Hendrycks & Dietterich 2019; MNIST-C):
 *  - Brightness: the HSV value V raised by c (clipped at 1), hue and saturation kept. With H and S
 *    fixed every channel is proportional to V, so a pixel is scaled by V′/V; a black pixel (V = 0,
 *    S = 0) becomes grey c. On a grey image this is min(x + c, 1), as MNIST-C's round trip through
 *    RGB and HSV gives.
 *  - Contrast: each channel pulled towards its mean over the image, (x − mean)·c + mean.
 */
import { level, mapValues, type Corruption, type Levels } from './corruption'

const BRIGHTNESS: Levels<number> = { grey: [0.1, 0.2, 0.3, 0.4, 0.5], colour: [0.05, 0.1, 0.15, 0.2, 0.3] }
const CONTRAST: Levels<number> = { grey: [0.4, 0.3, 0.2, 0.1, 0.05], colour: [0.75, 0.5, 0.4, 0.3, 0.15] }

export const brightness: Corruption = {
  id: 'brightness',
  apply(image, shape, severity) {
    const c = level(BRIGHTNESS, severity, shape)
    const channels = shape[2]
    const out = new Float32Array(image.length)
    for (let p = 0; p < image.length; p += channels) {
      let v = 0
      for (let k = 0; k < channels; k++) v = Math.max(v, image[p + k])
      const raised = Math.min(v + c, 1)
      for (let k = 0; k < channels; k++) out[p + k] = v === 0 ? raised : Math.min((image[p + k] * raised) / v, 1)
    }
    return out
  }
}

export const contrast: Corruption = {
  id: 'contrast',
  apply(image, shape, severity) {
    const c = level(CONTRAST, severity, shape)
    const channels = shape[2]
    const means = new Float64Array(channels)
    for (let i = 0; i < image.length; i++) means[i % channels] += image[i]
    for (let k = 0; k < channels; k++) means[k] /= image.length / channels
    return mapValues(image, (v, i) => (v - means[i % channels]) * c + means[i % channels])
  }
}
