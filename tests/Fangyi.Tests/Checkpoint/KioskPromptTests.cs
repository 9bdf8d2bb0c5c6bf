using Fangyi.Features.Checkpoint;

namespace Fangyi.Tests.Checkpoint;

public sealed class KioskPromptTests
{
    /// <summary>A kiosk with no Chinese voice plays the recording of the prompt key the host sent; none may be missing.</summary>
    [Fact]
    public void EveryPrompt_HasItsRecording_AndTheScriptSaysTheSameWords()
    {
        var root = Support.Browser.RepositoryRoot();
        var script = File.ReadAllLines(Path.Combine(root, "scripts", "kiosk-audio.sh"))
            .Select(line => line.Split('|')).Where(parts => parts.Length == 2).ToDictionary(parts => parts[0], parts => parts[1]);
        foreach (var (key, text) in Prompts.Texts)
        {
            Assert.True(File.Exists(Path.Combine(root, "src", "Fangyi", "Features", "Checkpoint", "wwwroot", "kiosk", "audio", key + ".wav")), $"no recording for {key}");
            Assert.Equal(text, script.GetValueOrDefault(key));
        }
        Assert.True(File.Exists(Path.Combine(root, "src", "Fangyi", "Features", "Checkpoint", "wwwroot", "kiosk", "audio", "offline.wav")));
    }
}
