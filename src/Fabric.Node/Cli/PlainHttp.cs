using System.Globalization;
using System.Net.Sockets;
using Fabric.Node.Api;

namespace Fabric.Node.Cli;

/// <summary>One HTTP/1.1 request over a plain TCP connection, for `fabric apply`. Setting up HttpClient (its handler
/// pipeline, TLS and proxy plumbing, diagnostics) cost the CLI process about as much as starting .NET; the API is
/// plain HTTP on a known host:port, so one request on its own connection (Connection: close) is all it needs.
/// Responses may be framed by Content-Length, chunked, or by the server closing the connection.</summary>
internal static class PlainHttp
{
    /// <summary>A reply bigger than this is not the agent's: its largest answers (diagnostics) are kilobytes.</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    public sealed record Response(int Status, string Reason, byte[] Body)
    {
        public bool IsSuccess => Status is >= 200 and <= 299;
        public string BodyText => TextBytes.Utf8(Body);
    }

    /// <summary>Sends the request and reads the whole response within <paramref name="timeout"/>. Failures to
    /// connect, a cut connection, an answer that is not HTTP and the deadline all surface as
    /// <see cref="AgentUnreachableException"/>; Ctrl+C (<paramref name="ct"/>) as OperationCanceledException.</summary>
    public static Response Send(ApiEndpoint endpoint, string method, string path, string contentType, ReadOnlyMemory<byte> body,
        TimeSpan timeout, CancellationToken ct)
    {
        TcpConnection? connection = null;
        try
        {
            connection = TcpConnection.Open(endpoint.Host, endpoint.Port, timeout);
            CliTiming.Mark("http: connected");
            // Disposed before the connection is (finally, below), so Abort never reaches a closed descriptor.
            using var abort = ct.Register(c => ((TcpConnection)c!).Abort(), connection);
            var head = TextBytes.Ascii(
                $"{method} /{path.TrimStart('/')} HTTP/1.1\r\nHost: {endpoint}\r\nContent-Type: {contentType}\r\n" +
                $"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\nConnection: close\r\n\r\n");
            try
            {
                connection.SendAll(head);
                connection.SendAll(body.Span);
            }
            catch (TcpException e) when (e.Errno is not (TcpException.DeadlinePassed or TcpException.Aborted))
            {
                // The server may have answered and closed before taking the whole body (e.g. 413, too large): that
                // answer says more than the broken pipe does.
                try { return ReadResponse(connection); }
                catch (Exception) when (!ct.IsCancellationRequested) { }
                throw;
            }
            CliTiming.Mark("http: request sent");
            return ReadResponse(connection);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is TcpException or HttpFramingException)
        {
            throw new OperationCanceledException(ct);
        }
        catch (TcpException e) when (e.Errno == TcpException.DeadlinePassed)
        {
            throw new AgentUnreachableException(endpoint, $"no answer within {timeout.TotalSeconds:0.#}s");
        }
        catch (TcpException e)
        {
            throw new AgentUnreachableException(endpoint, e.Message);
        }
        catch (SocketException e)
        {
            // Only name lookups use System.Net.Sockets.
            throw new AgentUnreachableException(endpoint, Describe(e));
        }
        catch (HttpFramingException e)
        {
            throw new AgentUnreachableException(endpoint, e.Message);
        }
        finally
        {
            connection?.Dispose();
        }
    }

    public static string Describe(SocketException s) => s.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "host not found",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to host",
        SocketError.ConnectionReset => "connection reset",
        _ => s.Message,
    };

    private static Response ReadResponse(TcpConnection connection)
    {
        var reader = new ResponseReader(connection);
        var statusLine = reader.ReadLine();
        // "HTTP/1.1 200 OK": the version, a three-digit code, and a reason that may be empty.
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status is < 100 or > 999)
            throw new HttpFramingException($"the answer was not HTTP/1.1 (it began \"{Shorten(statusLine)}\")");
        var reason = parts.Length > 2 ? parts[2] : "";

        long? contentLength = null;
        var chunked = false;
        while (reader.ReadLine() is { Length: > 0 } header)
        {
            var colon = header.IndexOf(':');
            if (colon <= 0) throw new HttpFramingException($"malformed response header \"{Shorten(header)}\"");
            var name = header[..colon].Trim();
            var value = header[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > MaxResponseBytes)
                    throw new HttpFramingException($"unusable Content-Length \"{Shorten(value)}\"");
                contentLength = length;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                // The agent's server only ever chunks; a compressed or otherwise coded body could not be read here.
                chunked = value.Equals("chunked", StringComparison.OrdinalIgnoreCase);
                if (!chunked) throw new HttpFramingException($"unsupported Transfer-Encoding \"{Shorten(value)}\"");
            }
        }

        // 1xx, 204 and 304 carry no body whatever the headers say.
        if (status is < 200 or 204 or 304) return new Response(status, reason, []);
        var body = new MemoryStream();
        if (chunked) reader.ReadChunked(body);
        else if (contentLength is { } length) reader.ReadExactly(body, length);
        else reader.ReadToEnd(body);
        return new Response(status, reason, body.ToArray());
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    /// <summary>Buffered reads of one response: header lines, then the body in whichever framing it uses.</summary>
    private sealed class ResponseReader(TcpConnection connection)
    {
        private const int MaxLineBytes = 16 * 1024;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;
        private bool _closed;

        public string ReadLine()
        {
            var line = new MemoryStream();
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    line.Write(_buffer, _start, newline - _start);
                    _start = newline + 1;
                    var text = TextBytes.Latin1(line.GetBuffer().AsSpan(0, (int)line.Length));
                    return text.EndsWith('\r') ? text[..^1] : text;
                }
                line.Write(_buffer, _start, _end - _start);
                _start = _end;
                if (line.Length > MaxLineBytes) throw new HttpFramingException("a response line is too long");
                if (!Fill()) throw new HttpFramingException("the agent closed the connection before the answer was complete");
            }
        }

        public void ReadExactly(MemoryStream into, long count)
        {
            while (count > 0)
            {
                if (_start == _end && !Fill()) throw new HttpFramingException("the agent closed the connection before the answer was complete");
                var take = (int)Math.Min(count, _end - _start);
                into.Write(_buffer, _start, take);
                _start += take;
                count -= take;
            }
        }

        public void ReadToEnd(MemoryStream into)
        {
            do
            {
                into.Write(_buffer, _start, _end - _start);
                _start = _end;
                if (into.Length > MaxResponseBytes) throw new HttpFramingException("the answer is too large");
            }
            while (Fill());
        }

        /// <summary>Chunks of "SIZE[;extensions]\r\nDATA\r\n" up to a zero-size one, then optional trailers and a blank line.</summary>
        public void ReadChunked(MemoryStream into)
        {
            while (true)
            {
                var sizeLine = ReadLine();
                var sizeText = sizeLine.Split(';', 2)[0].Trim();
                if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0
                    || into.Length + size > MaxResponseBytes)
                    throw new HttpFramingException($"malformed chunk size \"{Shorten(sizeLine)}\"");
                if (size == 0) break;
                ReadExactly(into, size);
                if (ReadLine() is { Length: > 0 }) throw new HttpFramingException("a chunk is longer than its declared size");
            }
            while (ReadLine() is { Length: > 0 }) { /* trailers: none of them matter here */ }
        }

        private bool Fill()
        {
            if (_closed) return false;
            _start = 0;
            _end = connection.Receive(_buffer);
            _closed = _end == 0;
            return !_closed;
        }
    }

    private sealed class HttpFramingException(string message) : Exception(message);
}
