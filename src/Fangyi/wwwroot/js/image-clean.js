// Black or white, judged against the neighbourhood rather than a decoder's fixed blocks, for what a phone camera
// sees: a dim room's grain, glare and uneven light. Used before the QR decoder (camera-scan.js) and before OCR
// (id-card-ocr.js).

// Grey levels below the neighbourhood that count as dark: far above the 3×3 mean's grain (σ 8 / 3), well below the
// contrast of print or of a code's modules.
const CONTRAST = 14;

/**
 * Cleans the picture on `context` in place. A pixel is dark when its 3×3 mean is clearly below the mean of a window
 * some modules (or characters) wide, `reach` times 1/12 of the picture's shorter side; flat areas, grain and all,
 * stay white. With grain (σ 8 at 640×480) every block of the white around a QR code has enough spread for zxing's
 * own binarizer to split it into speckles, and then no finder pattern is ever found.
 */
export function binarize(context, reach = 1) {
  const { width: w, height: h } = context.canvas;
  const image = context.getImageData(0, 0, w, h);
  const data = image.data;
  const stride = w + 1;
  const sum = new Uint32Array(stride * (h + 1));  // integral image of the green channel (close enough to luma)
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[(y * w + x) * 4 + 1];
      sum[(y + 1) * stride + x + 1] = sum[y * stride + x + 1] + row;
    }
  }
  const r = Math.max(8, Math.round(reach * Math.min(w, h) / 12));
  // Sums rather than means, compared cross-multiplied by the other window's area: this loop is the frame's cost.
  for (let y = 0; y < h; y++) {
    const s0 = Math.max(y - 1, 0) * stride, s1 = Math.min(y + 2, h) * stride;
    const b0 = Math.max(y - r, 0) * stride, b1 = Math.min(y + r + 1, h) * stride;
    const smallRows = (s1 - s0) / stride, bigRows = (b1 - b0) / stride;
    for (let x = 0; x < w; x++) {
      const x0 = x > 0 ? x - 1 : 0, x1 = x + 2 < w ? x + 2 : w;
      const X0 = x > r ? x - r : 0, X1 = x + r + 1 < w ? x + r + 1 : w;
      const smallArea = (x1 - x0) * smallRows, bigArea = (X1 - X0) * bigRows;
      const small = sum[s1 + x1] - sum[s0 + x1] - sum[s1 + x0] + sum[s0 + x0];
      const big = sum[b1 + X1] - sum[b0 + X1] - sum[b1 + X0] + sum[b0 + X0];
      const v = small * bigArea < (big - CONTRAST * bigArea) * smallArea ? 0 : 255;
      const i = (y * w + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = v;
    }
  }
  context.putImageData(image, 0, 0);
}
