using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Core.Counters;
using Fangyi.Features.Checkpoint;
using Fangyi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fangyi.Tests.Checkpoint;

/// <summary>The checkpoint's tiles on the big screen: checks today, the non-green ones, checks per minute, devices online.</summary>
public sealed class CheckpointCounterTests
{
    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Checks_AreCountedForTheScreen_AndAgreeWithARecount(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var p = await world.ResidentsAsync(3);
        await world.ColourAsync(p[1], "yellow", world.Clock.GetUtcNow(), "密接的密接");
        await world.ColourAsync(p[2], "red", world.Clock.GetUtcNow(), "阳性");
        await world.AnswerAsync("mall", p[0]);
        await world.AnswerAsync("mall", p[1]);
        await world.AnswerAsync("hospital", p[2]);
        await world.AnswerAsync("hospital", p[0]);
        await world.WaitForChecksAsync(4);

        var view = await ViewAsync(world);
        Assert.Equal(4, Number(view, "checkpoint.checks"));
        Assert.Equal(2, Number(view, "checkpoint.non_green"));
        Assert.Equal(4, view.GetProperty("series").GetProperty("checkpoint.per_minute").GetProperty("values").EnumerateArray().Sum(v => v.GetInt64()));

        // The two kiosks that checked are online once their last-seen times are written (the host's chores, every
        // few seconds; here run by the test).
        var unseen = Number(await ViewAsync(world), "devices.online");
        await world.App.Get<CheckpointChores>().RunOnceAsync();
        var before = await ViewAsync(world);

        await world.App.Services.GetRequiredService<Counters>().RecountAsync();

        var after = await ViewAsync(world);
        foreach (var metric in new[] { "checkpoint.checks", "checkpoint.non_green", "devices.online" })
        {
            Assert.Equal(Number(before, metric), Number(after, metric));
        }
        Assert.True(unseen is 0 or double.NaN, $"{unseen} devices online before their last-seen times were written");
        Assert.Equal(2, Number(before, "devices.online"));
        Assert.Equal(2, Number(after, "devices.online"));
    }

    private static Task<JsonElement> ViewAsync(CheckpointWorld world) =>
        world.City.GetFromJsonAsync<JsonElement>($"/api/v1/dashboard/view?round={world.Sampling.RoundId}")!;

    private static double Number(JsonElement view, string metric) =>
        view.GetProperty("here").GetProperty("numbers").TryGetProperty(metric, out var value) ? value.GetDouble() : double.NaN;
}
