using System.Collections.Concurrent;

namespace Fangyi.Features.Accounts;

// Slows password guessing without a lock-out anyone could trigger. Per (account name, client address): after
// AccountOptions.FreeFailures failures each further try waits a doubling interval. Per account name:
// clients that never signed in to it share a budget per minute, so guessing spread over many addresses is slow
// too, while the owner's usual client is never held up by a stranger. Names are the typed ones, so an unknown
// name is treated exactly like a known one. In memory, per host.
internal sealed class LoginGuard(AccountOptions options, TimeProvider clock)
{
    private const int Capacity = 200_000;

    private sealed class Pair
    {
        public int Failures;
        public long WaitUntil;
    }

    private sealed class Budget
    {
        public long Window;
        public int Used;
    }

    private readonly ConcurrentDictionary<(string Name, string Client), Pair> _pairs = new();
    private readonly ConcurrentDictionary<(string Name, string Client), byte> _known = new();
    private readonly ConcurrentDictionary<string, Budget> _budgets = new(StringComparer.Ordinal);

    private static string Key(string name) => name.ToLowerInvariant();

    // How long the pair must wait before its next try, or null if it may try now (which counts).
    public TimeSpan? Wait(string name, string client)
    {
        name = Key(name);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (_pairs.TryGetValue((name, client), out var pair))
        {
            var until = Interlocked.Read(ref pair.WaitUntil);
            if (until > now)
            {
                return TimeSpan.FromMilliseconds(until - now);
            }
        }
        if (_known.ContainsKey((name, client)))
        {
            return null;
        }
        Bound(_budgets);
        var budget = _budgets.GetOrAdd(name, _ => new Budget());
        lock (budget)
        {
            var window = now / 60_000;
            if (budget.Window != window)
            {
                budget.Window = window;
                budget.Used = 0;
            }
            if (budget.Used >= options.UnknownClientTriesPerMinute)
            {
                return TimeSpan.FromMilliseconds((window + 1) * 60_000 - now);
            }
            budget.Used++;
        }
        return null;
    }

    public void Failed(string name, string client)
    {
        Bound(_pairs);
        var pair = _pairs.GetOrAdd((Key(name), client), _ => new Pair());
        var failures = Interlocked.Increment(ref pair.Failures);
        var over = failures - options.FreeFailures;
        if (over >= 0)
        {
            var delay = Math.Min(options.MaxDelay.TotalMilliseconds, options.FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(over, 30)));
            Interlocked.Exchange(ref pair.WaitUntil, clock.GetUtcNow().ToUnixTimeMilliseconds() + (long)delay);
        }
    }

    public void Succeeded(string name, string client)
    {
        name = Key(name);
        _pairs.TryRemove((name, client), out _);
        Bound(_known);
        _known[(name, client)] = 0;
    }

    // A crude bound on memory under a flood of names or addresses: forgetting only ever makes the guard milder.
    private static void Bound<TKey, TValue>(ConcurrentDictionary<TKey, TValue> map) where TKey : notnull
    {
        if (map.Count >= Capacity)
        {
            map.Clear();
        }
    }
}
