using Fangyi.Core.Progress;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Progress;

public class ProgressLineTests
{
    private static (ProgressLine Line, StringWriter Output, FakeTimeProvider Clock) Make(string job)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 8, 0, 0, TimeSpan.Zero));
        var output = new StringWriter { NewLine = "\n" };
        return (new ProgressLine(output, job, clock), output, clock);
    }

    [Fact]
    public void ALine_AtMostOnceASecond_WithTheRateAndTheTimeLeft_ThenASummary()
    {
        var (line, output, clock) = Make("residents");

        line.Report(new RowProgress(1_000, 10_000));                 // under a second in: nothing yet
        clock.Advance(TimeSpan.FromMilliseconds(500));
        line.Report(new RowProgress(1_500, 10_000));
        clock.Advance(TimeSpan.FromMilliseconds(500));
        line.Report(new RowProgress(2_000, 10_000));
        line.Report(new RowProgress(2_100, 10_000));                 // the same second: nothing more
        clock.Advance(TimeSpan.FromSeconds(1));
        line.Report(new RowProgress(4_000, 10_000));
        clock.Advance(TimeSpan.FromSeconds(3));
        line.Finish(errors: 3, rows: 10_000);

        Assert.Equal(
            """
            residents: 2,000 of 10,000 rows (20%), 2,000/s, 4 s left
            residents: 4,000 of 10,000 rows (40%), 2,000/s, 3 s left
            residents: 10,000 rows, 3 errors in 5.0 s (2,000/s)

            """, output.ToString());
    }

    [Fact]
    public void WithoutATotal_ALineHasNoTimeLeft_AndALongWaitIsInMinutes()
    {
        var (line, output, clock) = Make("divisions");
        var (rotation, rotationOutput, rotationClock) = Make("key rotation");

        clock.Advance(TimeSpan.FromSeconds(2));
        line.Report(new RowProgress(60_000));
        rotationClock.Advance(TimeSpan.FromSeconds(4));
        rotation.Report(new RowProgress(5_000, 6_000_000));
        rotationClock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(20));
        rotation.Finish(errors: 0, rows: 6_000_000);

        Assert.Equal("divisions: 60,000 rows, 30,000/s\n", output.ToString());
        Assert.Equal(
            """
            key rotation: 5,000 of 6,000,000 rows (0%), 1,250/s, 1 h 19 min left
            key rotation: 6,000,000 rows, 0 errors in 1 h 20 min (1,249/s)

            """, rotationOutput.ToString());
    }

    [Fact]
    public void AJobOverInASecond_PrintsOnlyItsSummary_WithTheLastRowsReported()
    {
        var (line, output, clock) = Make("accounts");

        line.Report(new RowProgress(1, 2));
        line.Report(new RowProgress(2, 2));
        clock.Advance(TimeSpan.FromMilliseconds(400));
        line.Finish(errors: 1);

        Assert.Equal("accounts: 2 rows, 1 error in 0.4 s (5/s)\n", output.ToString());
    }
}
