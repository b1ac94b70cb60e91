using System.Net;
using System.Net.Sockets;
using System.Text;
using Fabric.Node.Api;
using Fabric.Node.Cli;

namespace Fabric.Node.Tests.Cli;

/// <summary>The apply client's HTTP against a scripted server: each framing a server may use, and every way it can
/// fail, each ending in the CLI's own error rather than a hang or a crash.</summary>
public sealed class PlainHttpTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("machine: {}\n");

    /// <summary>Accepts one connection, reads the request head and its Content-Length body, then answers.</summary>
    private static async Task<(ApiEndpoint Endpoint, Task<string> Request)> ServeOnceAsync(Func<NetworkStream, Task> answer)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = new ApiEndpoint("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
        var request = Task.Run(async () =>
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var head = new StringBuilder();
                while (!head.ToString().EndsWith("\r\n\r\n")) head.Append((char)stream.ReadByte());
                var length = int.Parse(head.ToString().Split("\r\n").Single(l => l.StartsWith("Content-Length:"))["Content-Length:".Length..]);
                var body = new byte[length];
                await stream.ReadExactlyAsync(body);
                await answer(stream);
                return head + Encoding.UTF8.GetString(body);
            }
            finally
            {
                listener.Stop();
            }
        });
        return (endpoint, request);
    }

    private static Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    private static PlainHttp.Response Send(ApiEndpoint endpoint, TimeSpan? timeout = null, CancellationToken ct = default) =>
        PlainHttp.Send(endpoint, "POST", "v1/config", "application/yaml; charset=utf-8", Body, timeout ?? TimeSpan.FromSeconds(20), ct);

    [Fact]
    public async Task A_content_length_answer_and_the_request_as_sent()
    {
        var (endpoint, request) = await ServeOnceAsync(s => Write(s, "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"applied\":true}"));
        var response = await Task.Run(() => Send(endpoint));
        Assert.Equal(200, response.Status);
        Assert.Equal("OK", response.Reason);
        Assert.Equal("{\"applied\":true", response.BodyText);
        Assert.Equal($"POST /v1/config HTTP/1.1\r\nHost: {endpoint}\r\nContent-Type: application/yaml; charset=utf-8\r\n" +
                     $"Content-Length: {Body.Length}\r\nConnection: close\r\n\r\nmachine: {{}}\n", await request);
    }

    [Fact]
    public async Task A_chunked_answer_with_extensions_and_trailers()
    {
        var (endpoint, _) = await ServeOnceAsync(s => Write(s,
            "HTTP/1.1 422 Unprocessable Entity\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5;name=value\r\n{\"a\":\r\n" + "E\r\n\"ünï\\u0022\"}\r\n" + "0\r\nX-Trailer: yes\r\n\r\n"));
        var response = await Task.Run(() => Send(endpoint));
        Assert.Equal(422, response.Status);
        Assert.Equal("{\"a\":\"ünï\\u0022\"}", response.BodyText);
    }

    [Fact]
    public async Task An_answer_that_ends_when_the_server_closes()
    {
        var (endpoint, _) = await ServeOnceAsync(s => Write(s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it"));
        Assert.Equal("all of it", (await Task.Run(() => Send(endpoint))).BodyText);
    }

    [Fact]
    public async Task An_answer_that_is_not_http_is_a_clear_error()
    {
        var (endpoint, _) = await ServeOnceAsync(s => Write(s, "SSH-2.0-OpenSSH_9.2\r\n"));
        var e = await Assert.ThrowsAsync<AgentUnreachableException>(() => Task.Run(() => Send(endpoint)));
        Assert.Equal("the answer was not HTTP/1.1 (it began \"SSH-2.0-OpenSSH_9.2\")", e.Reason);
    }

    [Fact]
    public async Task An_answer_cut_short_is_a_clear_error()
    {
        var (endpoint, _) = await ServeOnceAsync(s => Write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"));
        var e = await Assert.ThrowsAsync<AgentUnreachableException>(() => Task.Run(() => Send(endpoint)));
        Assert.Equal("the agent closed the connection before the answer was complete", e.Reason);
    }

    [Fact]
    public async Task A_server_that_never_answers_runs_into_the_deadline()
    {
        var silence = new TaskCompletionSource();
        var (endpoint, _) = await ServeOnceAsync(_ => silence.Task);
        try
        {
            var e = await Assert.ThrowsAsync<AgentUnreachableException>(() => Task.Run(() => Send(endpoint, TimeSpan.FromMilliseconds(300))));
            Assert.Equal("no answer within 0.3s", e.Reason);
        }
        finally
        {
            silence.SetResult();
        }
    }

    [Fact]
    public async Task Cancelling_ends_a_wait_for_the_answer()
    {
        var silence = new TaskCompletionSource();
        var (endpoint, _) = await ServeOnceAsync(_ => silence.Task);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => Send(endpoint, TimeSpan.FromSeconds(60), cancel.Token)));
        }
        finally
        {
            silence.SetResult();
        }
    }

    [Fact]
    public async Task A_host_name_is_looked_up()
    {
        var (endpoint, _) = await ServeOnceAsync(s => Write(s, "HTTP/1.1 204 No Content\r\n\r\n"));
        var response = await Task.Run(() => Send(new ApiEndpoint("localhost", endpoint.Port)));
        Assert.Equal(204, response.Status);
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task A_refused_connection_says_so()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var e = await Assert.ThrowsAsync<AgentUnreachableException>(() => Task.Run(() => Send(new ApiEndpoint("::1", port))));
        Assert.Equal("connection refused", e.Reason);
    }
}
