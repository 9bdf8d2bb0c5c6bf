using Microsoft.Playwright;

namespace Fangyi.Tests.Support;

/// <summary>
/// Synthetic second-generation resident ID cards as a phone camera sees them, drawn in Chromium (its canvas has the
/// machine's fonts: Debian's fonts-ocr-b for the number, fonts-noto-cjk for the rest) with what goes wrong in a hand:
/// blur, tilt, glare, uneven light, grain, a card held a little off the viewfinder's outline, a hand's shake between frames. Every card and frame is
/// decided by its seed. Shared with bench/Fangyi.Bench.
/// </summary>
public static class FakeIdCard
{
    public const int Width = 640;
    public const int Height = 480;

    /// <summary>Defines window.drawIdCard(number, seed, frame) → a 640×480 canvas, and window.cardLuma(canvas) → its Y plane in base64.</summary>
    public const string Script =
        """
        (() => {
          const random = (seed) => () => {
            seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
            let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
            t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
            return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
          };
          const NAMES = ['张伟', '王秀英', '李娜', '刘洋', '陈静', '杨帆', '赵磊', '黄敏', '周杰', '吴霞'];
          window.drawIdCard = (number, seed, frame) => {
            const card = random(seed * 7 + 1);
            const shake = random(seed * 7919 + frame * 31 + 3);
            const c = document.createElement('canvas');
            c.width = 640; c.height = 480;
            const g = c.getContext('2d');
            const desk = g.createLinearGradient(0, 0, 640, 480);
            desk.addColorStop(0, '#7a6f62'); desk.addColorStop(1, '#3b3631');
            g.fillStyle = desk; g.fillRect(0, 0, 640, 480);

            // The card as the viewfinder's outline asks (80 % of the width, centred), held a little off.
            const w = Math.round(640 * 0.8 * (0.96 + 0.08 * card()));
            const h = Math.round(w * 54 / 85.6);
            const face = document.createElement('canvas');
            face.width = w; face.height = h;
            const k = face.getContext('2d');
            const paper = k.createLinearGradient(0, 0, w, h);
            paper.addColorStop(0, '#f1f5f8'); paper.addColorStop(0.6, '#e3edf2'); paper.addColorStop(1, '#efe9e0');
            k.fillStyle = paper; k.beginPath(); k.roundRect(0, 0, w, h, h * 0.06); k.fill();
            k.strokeStyle = 'rgba(120, 160, 190, 0.25)'; k.lineWidth = 1;
            for (let i = 0; i < 14; i++) {
              k.beginPath();
              for (let x = 0; x <= w; x += 8) k.lineTo(x, h * (0.05 + i * 0.07) + Math.sin(x / 23 + i) * 4);
              k.stroke();
            }
            k.fillStyle = 'rgba(60, 60, 70, 0.35)'; k.fillRect(w * 0.64, h * 0.1, w * 0.28, h * 0.58);
            const cjk = (size) => `${Math.round(h * size)}px "Noto Sans CJK SC", sans-serif`;
            k.fillStyle = '#3a6ea5'; k.font = cjk(0.052);
            k.fillText('姓名', w * 0.06, h * 0.17); k.fillText('性别', w * 0.06, h * 0.3); k.fillText('民族', w * 0.3, h * 0.3);
            k.fillText('出生', w * 0.06, h * 0.43); k.fillText('住址', w * 0.06, h * 0.56); k.fillText('公民身份号码', w * 0.06, h * 0.885);
            k.fillStyle = '#1b1b1b'; k.font = cjk(0.07);
            k.fillText(NAMES[Math.floor(card() * NAMES.length)], w * 0.17, h * 0.17);
            k.font = cjk(0.055);
            k.fillText(Number(number[16]) % 2 ? '男' : '女', w * 0.17, h * 0.3); k.fillText('汉', w * 0.41, h * 0.3);
            k.fillText(`${number.slice(6, 10)} 年 ${Number(number.slice(10, 12))} 月 ${Number(number.slice(12, 14))} 日`, w * 0.17, h * 0.43);
            k.fillText('河北省沧州市青县清州镇', w * 0.17, h * 0.56); k.fillText('司马庄村 1 号', w * 0.17, h * 0.65);
            // The number from a third of the card's width to nearly its right edge, as printed.
            k.font = `${Math.round(h * 0.08)}px "OCR B"`;
            k.fillText(number, w * 0.33, h * 0.9, w * 0.59);

            const tilt = ((card() - 0.5) * 4 + (shake() - 0.5) * 0.6) * Math.PI / 180;
            const x = 320 + (card() - 0.5) * 0.04 * 640 + (shake() - 0.5) * 4;
            const y = 240 + (card() - 0.5) * 0.04 * 480 + (shake() - 0.5) * 4;
            g.save();
            g.translate(x, y); g.rotate(tilt);
            g.filter = `blur(${(0.3 + card() * 1.1).toFixed(2)}px)`;
            g.drawImage(face, -w / 2, -h / 2);
            g.restore();

            // Uneven light: a shadow across the card from one side.
            const angle = card() * Math.PI * 2;
            const shade = g.createLinearGradient(320 - Math.cos(angle) * 320, 240 - Math.sin(angle) * 240, 320 + Math.cos(angle) * 320, 240 + Math.sin(angle) * 240);
            shade.addColorStop(0, 'rgba(0, 0, 0, 0)'); shade.addColorStop(1, `rgba(0, 0, 0, ${(0.15 + 0.35 * card()).toFixed(2)})`);
            g.fillStyle = shade; g.fillRect(0, 0, 640, 480);
            // Glare: a lamp's reflection on the laminate, moving a little as the hand does.
            const gx = x + (card() - 0.5) * w * 0.8 + (shake() - 0.5) * 10;
            const gy = y + (card() - 0.5) * h * 0.7 + (shake() - 0.5) * 10;
            const radius = h * (0.15 + 0.3 * card());
            const glare = g.createRadialGradient(gx, gy, 0, gx, gy, radius);
            glare.addColorStop(0, `rgba(255, 255, 255, ${(0.3 + 0.3 * card()).toFixed(2)})`); glare.addColorStop(1, 'rgba(255, 255, 255, 0)');
            g.fillStyle = glare; g.fillRect(0, 0, 640, 480);
            // A sensor's grain (σ about 3 grey levels), in grey, as the camera gives it.
            const image = g.getImageData(0, 0, 640, 480);
            const px = image.data;
            for (let i = 0; i < px.length; i += 4) {
              const grey = 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2] + (shake() + shake() + shake() - 1.5) * 6;
              px[i] = px[i + 1] = px[i + 2] = Math.max(0, Math.min(255, Math.round(grey)));
            }
            g.putImageData(image, 0, 0);
            return c;
          };
          // Limited-range luma (16 black, 235 white), as Y4M's Y plane wants it, in base64.
          window.cardLuma = (c) => {
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const bytes = new Uint8Array(c.width * c.height);
            for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(16 + data[i * 4] * 219 / 255);
            let text = '';
            for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
            return btoa(text);
          };
        })();
        """;

    /// <summary>Makes <paramref name="page"/> able to draw cards (any page: about:blank will do).</summary>
    public static async Task PrepareAsync(IPage page)
    {
        await page.EvaluateAsync(Script);
        await page.EvaluateAsync("document.fonts.load('20px \"OCR B\"')");
    }

    /// <summary>The grey frames of one card, <paramref name="frames"/> of them with the hand's shake between them.</summary>
    public static async Task<List<byte[]>> FramesAsync(IPage page, string number, int seed, int frames)
    {
        var luma = new List<byte[]>();
        for (var f = 0; f < frames; f++)
        {
            var base64 = await page.EvaluateAsync<string>("([n, s, f]) => cardLuma(drawIdCard(n, s, f))", new object[] { number, seed, f });
            luma.Add(Convert.FromBase64String(base64));
        }
        return luma;
    }

    /// <summary>A Y4M video of the cards one after another, <paramref name="framesEach"/> frames each at <paramref name="fps"/>.</summary>
    public static async Task<string> WriteAsync(IPage page, string path, IReadOnlyList<string> numbers, int framesEach = 8, int fps = 10, int seed = 1)
    {
        await PrepareAsync(page);
        var frames = new List<byte[]>();
        for (var i = 0; i < numbers.Count; i++)
        {
            frames.AddRange(await FramesAsync(page, numbers[i], seed + i, framesEach));
        }
        return FakeCamera.WriteY4m(path, Width, Height, frames, fps);
    }
}
