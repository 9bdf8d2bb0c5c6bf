namespace Fangyi.Core.Status;

// How many of the index's hashes are under each key id, so that a look-up tries only the keys in use, the most used
// first (after a key rotation, the new key soon). Changed under the index's write lock; read without one.
internal sealed class KeyUse
{
    private readonly int[] _counts = new int[256];
    private volatile int[] _active = [];

    /// <summary>The key ids to try, the most used first.</summary>
    public int[] Active => _active;

    public void Change(int keyId, int delta)
    {
        var before = _counts[keyId];
        _counts[keyId] = Math.Max(0, before + delta);
        if ((before == 0) != (_counts[keyId] == 0))
        {
            _active = Enumerable.Range(0, _counts.Length).Where(k => _counts[k] > 0).OrderByDescending(k => _counts[k]).ToArray();
        }
    }
}
