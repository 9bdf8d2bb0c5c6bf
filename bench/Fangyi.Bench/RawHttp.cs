using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fangyi.Bench;

/// <summary>
/// A minimal HTTP/1.1 load generator over keep-alive sockets, like wrk: each connection sends a request, reads the
/// whole answer (Content-Length or chunked), notes the latency, and sends the next. It costs the shared CPU far less
/// than HttpClient, so more of the two cores go to the host being measured.
/// </summary>
public static class RawHttp
{
    public sealed record Result(long Done, long NotOk, TimeSpan Elapsed, double P50Ms, double P99Ms, double P999Ms)
    {
        public double PerSecond => Done / Elapsed.TotalSeconds;

        public string Figure => $"{PerSecond,9:N0}/s  p50 {P50Ms:F2} ms  p99 {P99Ms:F2} ms  p99.9 {P999Ms:F2} ms  ({Done:N0}{(NotOk > 0 ? $", {NotOk:N0} not 200" : "")})";
    }

    public static byte[] Get(string path) => Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

    public static byte[] PostJson(string path, string authorization, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var head = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {authorization}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        return [.. head, .. body];
    }

    /// <summary>Drives <paramref name="requests"/> (taken in turn) over <paramref name="connections"/> connections for <paramref name="duration"/>.</summary>
    public static async Task<Result> RunAsync(Uri server, int connections, TimeSpan duration, byte[][] requests)
    {
        var next = -1L;
        var notOk = 0L;
        var clock = Stopwatch.StartNew();
        var latencies = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>(1 << 16);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));
            var connection = new Connection(socket);
            while (clock.Elapsed < duration)
            {
                var request = requests[Interlocked.Increment(ref next) % requests.Length];
                var start = Stopwatch.GetTimestamp();
                var status = await connection.ExchangeAsync(request);
                mine.Add(Stopwatch.GetTimestamp() - start);
                if (status != 200)
                {
                    Interlocked.Increment(ref notOk);
                }
            }
            return mine;
        })));
        clock.Stop();
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new Result(all.Length, notOk, clock.Elapsed, Percentile(0.50), Percentile(0.99), Percentile(0.999));
    }

    private sealed class Connection(Socket socket)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<int> ExchangeAsync(byte[] request)
        {
            await socket.SendAsync(request, SocketFlags.None);
            int headerEnd;
            while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
            {
                await FillAsync();
            }
            headerEnd += _start;
            var head = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
            var status = int.Parse(head.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
            _start = headerEnd + 4;
            var length = ContentLength(head);
            if (length >= 0)
            {
                await SkipAsync(length);
            }
            else if (head.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                while (true)
                {
                    int lineEnd;
                    while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
                    {
                        await FillAsync();
                    }
                    var size = Convert.ToInt32(Encoding.ASCII.GetString(_buffer, _start, lineEnd).Split(';')[0], 16);
                    _start += lineEnd + 2;
                    await SkipAsync(size + 2);
                    if (size == 0)
                    {
                        break;
                    }
                }
            }
            if (_start == _end)
            {
                _start = _end = 0;
            }
            return status;
        }

        private static int ContentLength(string head)
        {
            var at = head.IndexOf("\r\nContent-Length:", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return -1;
            }
            var from = at + "\r\nContent-Length:".Length;
            var to = head.IndexOf("\r\n", from, StringComparison.Ordinal);
            return int.Parse(head.AsSpan(from, (to < 0 ? head.Length : to) - from).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }

        private async Task SkipAsync(int count)
        {
            while (_end - _start < count)
            {
                count -= _end - _start;
                _start = _end = 0;
                await FillAsync();
            }
            _start += count;
        }

        private async Task FillAsync()
        {
            if (_start > 0 && _end == _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                (_end, _start) = (_end - _start, 0);
            }
            var n = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("the host closed the connection");
            }
            _end += n;
        }
    }
}
