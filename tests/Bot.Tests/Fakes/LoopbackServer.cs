using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PerpGuard.Bot.Tests.Fakes;

/// <summary>A request the fake server received.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, string Body)
{
    /// <summary>A query parameter's value, or null.</summary>
    public string? Param(string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query).TryGetValue(name, out var v) ? v.ToString() : null;
}

/// <summary>What the fake server answers.</summary>
internal sealed record FakeResponse(int Status, string Body, string ContentType = "application/json")
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    /// <summary>Wait this long before answering (to test timeouts).</summary>
    public TimeSpan Delay { get; init; }

    public static FakeResponse Json(string body) => new(200, body);
    public static FakeResponse Error(int status, string body = "", string contentType = "application/json") => new(status, body, contentType);
    public static FakeResponse Html(int status) => new(status, "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
    public FakeResponse WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, a free port) that plays an exchange: routes are method + path, answered
/// by a handler that sees the recorded request. Unrouted requests get 404 with a JSON body naming the path.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Method, string Path), Func<RecordedRequest, FakeResponse>> _routes = new();

    private LoopbackServer(WebApplication app) => _app = app;

    /// <summary>Scheme, host and port, e.g. <c>http://127.0.0.1:51234</c> (what <c>Venues:X:BaseUrl</c> takes).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        BaseUrlOf(server, app);
        return server;
    }

    private static void BaseUrlOf(LoopbackServer server, WebApplication app)
    {
        var addresses = app.Services.GetService(typeof(IServer)) is IServer s ? s.Features.Get<IServerAddressesFeature>() : null;
        server.BaseUrl = addresses!.Addresses.First().TrimEnd('/');
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with <paramref name="handler"/> (replacing any earlier route).</summary>
    public void On(string method, string path, Func<RecordedRequest, FakeResponse> handler) => _routes[(method.ToUpperInvariant(), path)] = handler;

    /// <summary>Answers GET <paramref name="path"/> with a fixed response.</summary>
    public void Get(string path, FakeResponse response) => On("GET", path, _ => response);

    /// <summary>Answers successive calls with successive responses; the last one repeats.</summary>
    public void Sequence(string method, string path, params FakeResponse[] responses)
    {
        var next = 0;
        On(method, path, _ => responses[Math.Min(Interlocked.Increment(ref next) - 1, responses.Length - 1)]);
    }

    /// <summary>Requests received on one path.</summary>
    public IReadOnlyList<RecordedRequest> To(string path) => [.. Requests.Where(r => r.Path == path)];

    private async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8)) body = await reader.ReadToEndAsync();
        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", body);
        Requests.Enqueue(request);
        var response = _routes.TryGetValue((request.Method, request.Path), out var handler)
            ? handler(request)
            : FakeResponse.Error(404, $"{{\"error\":\"no fake route for {request.Method} {request.Path}\"}}");
        if (response.Delay > TimeSpan.Zero)
        {
            try { await Task.Delay(response.Delay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers) context.Response.Headers[name] = value;
        await context.Response.WriteAsync(response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
