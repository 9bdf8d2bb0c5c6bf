using System.Collections.Concurrent;

namespace Fangyi.Features.Dashboard;

// Which screens watch what: the push loop sends only to groups someone is in.
public sealed class ScreenWatchers
{
    private readonly ConcurrentDictionary<string, Watched> _byConnection = new();
    private readonly ConcurrentDictionary<Watched, int> _counts = new();

    public static string GroupOf(long round, long division) => $"r{round}:{division}";

    public int Screens => _byConnection.Count;

    public ICollection<Watched> Groups => _counts.Keys;

    public Watched? Watch(string connection, Watched what)
    {
        Watched? previous = _byConnection.TryGetValue(connection, out var old) ? old : null;
        _byConnection[connection] = what;
        if (previous != what)
        {
            if (previous is { } p)
            {
                Release(p);
            }
            _counts.AddOrUpdate(what, 1, (_, n) => n + 1);
        }
        return previous;
    }

    public void Leave(string connection)
    {
        if (_byConnection.TryRemove(connection, out var what))
        {
            Release(what);
        }
    }

    private void Release(Watched what)
    {
        if (_counts.AddOrUpdate(what, 0, (_, n) => n - 1) <= 0)
        {
            _counts.TryRemove(KeyValuePair.Create(what, 0));
        }
    }
}
