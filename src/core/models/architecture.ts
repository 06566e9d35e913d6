// Which architecture is built for a data set. `arch` chooses among the image models; samples that
// are not 32x32x3 images (the toy 2-D points) always get the MLP pair, whose input and output
// layers follow the sample shape. Deciding here, from the data, means a page or a link that picks
// ring8 with arch=cnn still trains (the MLP) instead of failing to build a CNN for points.
import type { ArchName } from '../config/schema';
import { isImageShape, type SampleShape } from '../data/types';

export function architectureFor(arch: ArchName, sampleShape: SampleShape): ArchName {
  return isImageShape(sampleShape) ? arch : 'mlp';
}
