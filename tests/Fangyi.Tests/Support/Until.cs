namespace Fangyi.Tests.Support;

/// <summary>
/// Waiting on a condition rather than sleeping and hoping: returns as soon as it holds, and fails only after a
/// deadline generous enough for a loaded machine.
/// </summary>
public static class Until
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Deadline.TotalSeconds:F0} s: {what}");
            await Task.Delay(10);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what) => TrueAsync(() => Task.FromResult(condition()), what);

    /// <summary>Runs <paramref name="check"/> (its asserts) until it passes; after the deadline its failure is the test's.</summary>
    public static async Task PassesAsync(Func<Task> check)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                await check();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
