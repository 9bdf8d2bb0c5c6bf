using Fangyi.Core.Status;
namespace Fangyi.Features.Sampling;

// Each person's latest sample and latest result, gathered from a whole store's samples at start before the index
// is told. A person has a sample a round, so a city has tens of millions; the index takes its lock and rewrites a
// person's facts for each one it is told, and that was most of a start-up. Here a sample costs a few array writes
// under the index's own rule and precision (PersonFacts.ApplySample), and the index is told at most
// twice a person: the latest result, then the latest sample. Arrays by resident id (ids are dense), ten bytes a
// person, dropped after the replay.
public sealed class LatestSamples
{
    private int[] _sampledAt = new int[1024];
    private byte[] _sampleState = new byte[1024];
    private int[] _resultAt = new int[1024];
    private byte[] _result = new byte[1024];
    private long _highest = -1;

    public void Add(long residentId, long sampledAt, NucleicState state)
    {
        if (residentId < 0 || residentId >= int.MaxValue)
        {
            return;
        }
        if (residentId >= _sampledAt.Length)
        {
            var size = (int)Math.Min(int.MaxValue - 64, Math.Max(residentId + 1, _sampledAt.Length * 2L));
            Array.Resize(ref _sampledAt, size);
            Array.Resize(ref _sampleState, size);
            Array.Resize(ref _resultAt, size);
            Array.Resize(ref _result, size);
        }
        var r = (int)residentId;
        _highest = Math.Max(_highest, r);
        var at = StatusIndex.Pack(sampledAt);
        if (at > _sampledAt[r])
        {
            (_sampledAt[r], _sampleState[r]) = (at, (byte)state);
        }
        else if (at == _sampledAt[r] && state != NucleicState.Pending)
        {
            _sampleState[r] = (byte)state;
        }
        if (state.IsResult() && at >= _resultAt[r])
        {
            (_resultAt[r], _result[r]) = (at, (byte)state);
        }
    }

    // Tells the sink what was gathered: for each person, their latest result, then their latest sample.
    public void ReplayInto(IStatusSink sink) => Replay(sink.Sample);

    // Takes in what another gathered from later samples (a later range of the table), as if read after these.
    public void Merge(LatestSamples later) => later.Replay(Add);

    private void Replay(Action<long, long, NucleicState> sample)
    {
        for (var r = 0; r <= _highest; r++)
        {
            if (_result[r] != 0)
            {
                sample(r, StatusIndex.Unpack(_resultAt[r]), (NucleicState)_result[r]);
            }
            if (_sampledAt[r] != 0 || _sampleState[r] != 0)
            {
                sample(r, StatusIndex.Unpack(_sampledAt[r]), (NucleicState)_sampleState[r]);
            }
        }
    }
}
