#!/usr/bin/env bash
# Makes the kiosk's recorded prompts (src/Fangyi/Features/Checkpoint/wwwroot/kiosk/audio/KEY.wav), played where a browser has no
# Chinese voice of its own. Synthesised with espeak-ng's Mandarin voice (Debian package espeak-ng), made smaller
# with python3. Run again when a prompt's wording changes; the keys are the checkpoint's prompt keys
# (Prompts.Texts in src/Fangyi/Features/Checkpoint/Prompts.cs; a test checks that each has its file) and the
# kiosk's own "offline".
set -euo pipefail
cd "$(dirname "$0")/.."
command -v espeak-ng >/dev/null || { echo "needs espeak-ng (apt-get install espeak-ng)" >&2; exit 1; }
out=src/Fangyi/Features/Checkpoint/wwwroot/kiosk/audio
mkdir -p "$out"
while IFS='|' read -r key text; do
  [ -n "$key" ] || continue
  espeak-ng -v cmn -s 150 -w "$out/$key.wav" "$text"
  # 22,050 Hz 16-bit from espeak-ng → 11,025 Hz 8-bit: a quarter of the size, still clear for a short prompt.
  python3 - "$out/$key.wav" <<'PY'
import struct, sys, wave
path = sys.argv[1]
with wave.open(path, 'rb') as w:
    assert w.getnchannels() == 1 and w.getsampwidth() == 2
    rate, frames = w.getframerate(), w.readframes(w.getnframes())
samples = struct.unpack('<%dh' % (len(frames) // 2), frames)
halved = [(samples[i] + samples[i + 1]) // 2 for i in range(0, len(samples) - 1, 2)]
with wave.open(path, 'wb') as w:
    w.setnchannels(1)
    w.setsampwidth(1)
    w.setframerate(rate // 2)
    w.writeframes(bytes((s >> 8) + 128 for s in halved))
PY
done <<'PROMPTS'
pass|绿码通行
not_green|非绿码请核查
red_code|红码人员，请立即核查
risk_area|有中高风险地区旅居史，请核查
positive|核酸检测异常，请立即核查
mixed_positive|混管阳性待复核，请立即核查
result_timed_out|你的核酸结果已超时
result_pending|核酸结果未出，请人工核查
no_result|无核酸检测记录，请人工核查
result_invalid|核酸样本无效，请重新采样
vaccination_required|未完成疫苗接种，请人工核查
not_found|查无此人，请人工核查
rescan|无法识别，请重新扫描
id_invalid|证件号码有误，请重新输入
code_invalid|二维码无效，请人工核查
code_expired|二维码已过期，请刷新后重新出示
device_refused|设备未授权，请联系管理员
too_fast|扫码过于频繁，请稍候
offline|网络中断，请人工查验
PROMPTS
ls -la "$out"
