using System.Diagnostics;

namespace Fangyi.Core.Status;

/// <summary>
/// Builds the status index from every source at start, then keeps it current with what only the store knows:
/// rows other processes wrote (sources' catch-up) and people whose facts must be rebuilt (refreshes).
/// Everything this host writes reaches the index directly, through ingest observers and the writers' own calls.
/// </summary>
public sealed class StatusIndexHost(StatusIndex index, IEnumerable<IStatusSource> sources, StatusOptions options, ILogger<StatusIndexHost> log) : BackgroundService
{
    private readonly IStatusSource[] _sources = sources.OrderBy(s => s.Order).ToArray();
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>How long the build at start took.</summary>
    public TimeSpan BuildTime { get; private set; }

    public bool Built { get; private set; }

    public async Task BuildAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        foreach (var source in _sources)
        {
            var started = clock.Elapsed;
            await source.LoadAsync(index, null, ct);
            log.LogInformation("Status index: {Source} loaded in {Seconds:F1} s", source.GetType().Name, (clock.Elapsed - started).TotalSeconds);
        }
        BuildTime = clock.Elapsed;
        Built = true;
        index.Confirm();
        log.LogInformation("Status index built: {People} people, {Bytes} bytes, in {Seconds:F1} s", index.Count, index.Bytes, BuildTime.TotalSeconds);
    }

    /// <summary>One pass of catching up and refreshing; the host runs it every second, tests call it to not wait.</summary>
    public async Task CatchUpAsync(CancellationToken ct = default)
    {
        await _pass.WaitAsync(ct);
        try
        {
            foreach (var source in _sources)
            {
                await source.CatchUpAsync(index, ct);
            }
            var ids = index.TakeRefreshes();
            if (ids.Count == 0)
            {
                index.Confirm();
                return;
            }
            try
            {
                var collector = new Collector(index);
                foreach (var source in _sources)
                {
                    await source.LoadAsync(collector, ids, ct);
                }
                foreach (var id in ids)
                {
                    index.Replace(id, collector.Facts.GetValueOrDefault(id));
                }
                index.Confirm();
            }
            catch
            {
                foreach (var id in ids)
                {
                    index.RequestRefresh(id);
                }
                throw;
            }
            finally
            {
                index.EndRefresh();
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CatchUpInBackground)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.CatchUpInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CatchUpAsync(stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    log.LogWarning(error, "Status index catch-up failed; trying again shortly");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }

    // Facts of a few people rebuilt from the store, merged by the same rules as the live index.
    private sealed class Collector(StatusIndex index) : IStatusSink
    {
        public Dictionary<long, PersonFacts> Facts { get; } = [];

        private void Change(long residentId, Func<PersonFacts, PersonFacts> apply) =>
            Facts[residentId] = apply(Facts.GetValueOrDefault(residentId));

        public void Person(in PersonRecord person)
        {
        }

        public void SocialSecurity(ReadOnlySpan<byte> cardHash, int keyId, long residentId)
        {
        }

        public void FeedColour(long residentId, HealthColour colour, long since, string reason)
        {
            var id = index.ReasonId(reason);
            Change(residentId, f =>
            {
                f.ApplyFeedColour(colour, StatusIndex.Round(since), id);
                return f;
            });
        }

        public void Hold(long residentId, HealthColour colour, long since, long until, string reason)
        {
            var id = index.ReasonId(reason);
            var now = index.Now;
            Change(residentId, f =>
            {
                f.ApplyHold(colour, StatusIndex.Round(since), StatusIndex.Round(until), id, now);
                return f;
            });
        }

        public void Sample(long residentId, long sampledAt, NucleicState state) => Change(residentId, f =>
        {
            f.ApplySample(StatusIndex.Round(sampledAt), state);
            return f;
        });

        public void Vaccination(long residentId, int doses, long lastDoseAt) => Change(residentId, f =>
        {
            f.ApplyVaccination(doses, lastDoseAt);
            return f;
        });

        public void Arrival(long residentId, long fromDivision, long arrivedAt) => Change(residentId, f =>
        {
            f.ApplyArrival(index.OriginIdOf(fromDivision), StatusIndex.Round(arrivedAt));
            return f;
        });
    }
}
