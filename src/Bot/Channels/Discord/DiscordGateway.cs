using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Chat;

namespace PerpGuard.Bot.Channels.Discord;

/// <summary>
/// The Discord gateway (v10, JSON) over <see cref="ClientWebSocket"/>, kept only for INTERACTION_CREATE:
/// <list type="bullet">
/// <item>Hello, then a heartbeat after <c>interval × random</c> and every interval after; an unacknowledged heartbeat
/// means a zombie connection: closed with 4000 (never 1000/1001, which would end the session) and resumed.</item>
/// <item>Identify (intents 0) on a new session; Resume (session id and last sequence, on the READY's resume URL) after
/// a drop, op 7 Reconnect, op 9 with <c>d:true</c>, or a resumable close code. op 9 <c>d:false</c>, 4007 and 4009 start
/// a new session.</item>
/// <item>Close codes 4004 and 4010–4014 are fatal: a clear reason, no retry. Everything else reconnects, at once after
/// op 7 or a zombie, otherwise with exponential backoff and jitter up to <see cref="DiscordOptions.ReconnectMax"/>.</item>
/// </list>
/// The gateway URL comes from <c>GET /gateway/bot</c> on the REST base, so a test server can stand in for both.
/// </summary>
internal sealed class DiscordGateway(DiscordRest rest, DiscordOptions options, TimeProvider time, ILogger logger)
{
    private static readonly HashSet<int> FatalCloses = [4004, 4010, 4011, 4012, 4013, 4014];
    private static readonly HashSet<int> NewSessionCloses = [4007, 4009];

    /// <summary>The close code PerpGuard uses when it intends to resume (Discord keeps the session).</summary>
    public const int ResumeCloseCode = 4900;

    private string? _gatewayUrl;
    private string? _sessionId;
    private string? _resumeUrl;
    private long? _sequence;

    /// <summary>The application id READY reported.</summary>
    public string? ApplicationId { get; private set; }

    private enum Next
    {
        Resume,
        Identify,
        Fatal,
    }

    private sealed record Outcome(Next Next, string Reason, bool Immediately = false);

    /// <summary>Connects and keeps connected until cancelled or a fatal close; interactions go to <paramref name="onInteraction"/> (not awaited by the reader).</summary>
    public async Task RunAsync(Func<DiscordInteraction, Task> onInteraction, Action onReady, CancellationToken ct)
    {
        var failures = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            Outcome outcome;
            try
            {
                _gatewayUrl ??= (await rest.GatewayBotAsync(ct).ConfigureAwait(false)).Url;
                outcome = await ConnectOnceAsync(onInteraction, () => { failures = 0; onReady(); }, ct).ConfigureAwait(false);
            }
            catch (DiscordApiException ex) when (ex.Status == 401)
            {
                outcome = new Outcome(Next.Fatal, $"Discord rejected the bot token ({ex.Description}). Check Discord:Token (environment Discord__Token).");
            }
            catch (Exception ex) when (ex is DiscordApiException or WebSocketException or TimeoutException or JsonException || ex is OperationCanceledException && !ct.IsCancellationRequested)
            {
                outcome = new Outcome(_sessionId is null ? Next.Identify : Next.Resume, ex.Message);
            }
            if (outcome.Next == Next.Fatal) throw new ChatChannelFatalException(outcome.Reason);
            if (outcome.Next == Next.Identify) (_sessionId, _resumeUrl, _sequence) = (null, null, null);
            var wait = outcome.Immediately ? TimeSpan.Zero : Backoff(++failures);
            logger.DiscordReconnecting(outcome.Reason, outcome.Next == Next.Resume ? "resume" : "new session", wait);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int attempt) => Chat.Backoff.Jittered(options.ReconnectFirst, options.ReconnectMax, attempt);

    private async Task<Outcome> ConnectOnceAsync(Func<DiscordInteraction, Task> onInteraction, Action onReady, CancellationToken ct)
    {
        var resuming = _sessionId is not null && _resumeUrl is not null;
        using var socket = new ClientWebSocket();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sendLock = new SemaphoreSlim(1, 1);
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        connectTimeout.CancelAfter(options.ConnectTimeout);
        await socket.ConnectAsync(new Uri($"{(resuming ? _resumeUrl : _gatewayUrl)!.TrimEnd('/')}/?v=10&encoding=json"), connectTimeout.Token).ConfigureAwait(false);

        var hello = await ReceiveAsync(socket, connectTimeout.Token).ConfigureAwait(false);
        if (hello is null) return Closed(socket);
        if (hello.Op != 10) return new Outcome(Next.Resume, $"expected Hello, got op {hello.Op}");
        var interval = TimeSpan.FromMilliseconds(hello.D.Deserialize(DiscordJsonContext.Default.GatewayHello)!.HeartbeatInterval);

        var acknowledged = true;
        Outcome? zombie = null;
        async Task SendAsync(byte[] frame)
        {
            await sendLock.WaitAsync(connection.Token).ConfigureAwait(false);
            try
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, connection.Token).ConfigureAwait(false);
            }
            finally
            {
                sendLock.Release();
            }
        }
        async Task HeartbeatsAsync()
        {
            // The first beat is jittered so that a fleet of reconnecting clients does not beat in step.
            await Task.Delay(interval * Random.Shared.NextDouble(), time, connection.Token).ConfigureAwait(false);
            while (!connection.IsCancellationRequested)
            {
                if (!Volatile.Read(ref acknowledged))
                {
                    zombie = new Outcome(Next.Resume, "no heartbeat ACK (zombie connection)", Immediately: true);
                    await CloseAsync(socket, ResumeCloseCode, "zombie").ConfigureAwait(false);
                    return;
                }
                Volatile.Write(ref acknowledged, false);
                await SendAsync(Heartbeat()).ConfigureAwait(false);
                await Task.Delay(interval, time, connection.Token).ConfigureAwait(false);
            }
        }

        var heartbeats = Task.Run(HeartbeatsAsync, connection.Token);
        try
        {
            await SendAsync(resuming ? Resume() : Identify()).ConfigureAwait(false);
            var ready = false;
            while (true)
            {
                GatewayPayload? frame;
                using (var receive = CancellationTokenSource.CreateLinkedTokenSource(connection.Token))
                {
                    if (!ready) receive.CancelAfter(options.ConnectTimeout);
                    try
                    {
                        frame = await ReceiveAsync(socket, receive.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested && !ready)
                    {
                        return new Outcome(resuming ? Next.Resume : Next.Identify, "no Ready within the connect timeout");
                    }
                    catch (WebSocketException) when (zombie is not null)
                    {
                        return zombie;
                    }
                }
                if (frame is null) return zombie ?? Closed(socket);
                if (frame.S is { } s) _sequence = s;
                switch (frame.Op)
                {
                    case 0 when frame.T == "READY":
                        var info = frame.D.Deserialize(DiscordJsonContext.Default.GatewayReady)!;
                        (_sessionId, _resumeUrl, ApplicationId) = (info.SessionId, info.ResumeGatewayUrl, info.Application?.Id ?? ApplicationId);
                        ready = true;
                        logger.DiscordConnected("ready", _sessionId);
                        onReady();
                        break;
                    case 0 when frame.T == "RESUMED":
                        ready = true;
                        logger.DiscordConnected("resumed", _sessionId!);
                        onReady();
                        break;
                    case 0 when frame.T == "INTERACTION_CREATE":
                        if (frame.D.Deserialize(DiscordJsonContext.Default.DiscordInteraction) is { } interaction)
                            _ = Task.Run(() => onInteraction(interaction), CancellationToken.None);
                        break;
                    case 0:
                        break; // other dispatches are not needed
                    case 1:
                        await SendAsync(Heartbeat()).ConfigureAwait(false);
                        break;
                    case 11:
                        Volatile.Write(ref acknowledged, true);
                        break;
                    case 7:
                        await CloseAsync(socket, ResumeCloseCode, "reconnect requested").ConfigureAwait(false);
                        return new Outcome(Next.Resume, "Discord asked to reconnect (op 7)", Immediately: true);
                    case 9:
                        var resumable = frame.D.ValueKind == JsonValueKind.True;
                        await CloseAsync(socket, ResumeCloseCode, "invalid session").ConfigureAwait(false);
                        return new Outcome(resumable ? Next.Resume : Next.Identify, $"invalid session (op 9, {(resumable ? "resumable" : "not resumable")})");
                }
            }
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            try
            {
                await heartbeats.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (WebSocketException)
            {
            }
            if (ct.IsCancellationRequested) await CloseAsync(socket, (int)WebSocketCloseStatus.NormalClosure, "shutdown").ConfigureAwait(false);
            sendLock.Dispose();
        }
    }

    // The server closed (or the connection dropped): what the close code says to do.
    private static Outcome Closed(ClientWebSocket socket)
    {
        var code = (int?)socket.CloseStatus;
        var reason = code is null ? "connection dropped" : $"closed by Discord: {code} {socket.CloseStatusDescription}";
        if (code is { } c && FatalCloses.Contains(c))
            return new Outcome(Next.Fatal, c switch
            {
                4004 => "Discord closed the gateway with 4004 (authentication failed): check Discord:Token (environment Discord__Token).",
                4013 or 4014 => $"Discord closed the gateway with {c} (invalid or disallowed intents); PerpGuard asks for none, so check the application's settings.",
                _ => $"Discord closed the gateway with {c} ({socket.CloseStatusDescription}); this needs a code or configuration change, not a retry.",
            });
        return new Outcome(code is { } n && NewSessionCloses.Contains(n) ? Next.Identify : Next.Resume, reason);
    }

    private static async Task CloseAsync(ClientWebSocket socket, int code, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Already gone: nothing to close.
        }
    }

    // One whole message (frames accumulated until EndOfMessage); null when the socket closed.
    private static async Task<GatewayPayload?> ReceiveAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(memory, ct).ConfigureAwait(false);
            }
            catch (WebSocketException) when (socket.State is WebSocketState.Aborted or WebSocketState.Closed)
            {
                return null;
            }
            if (result.MessageType == WebSocketMessageType.Close) return null;
            buffer.Advance(result.Count);
            if (result.EndOfMessage) return JsonSerializer.Deserialize(buffer.WrittenSpan, DiscordJsonContext.Default.GatewayPayload);
        }
    }

    private byte[] Heartbeat() => Frame(1, w =>
    {
        if (_sequence is { } s) w.WriteNumberValue(s);
        else w.WriteNullValue();
    });

    private byte[] Identify() => Frame(2, w =>
    {
        w.WriteStartObject();
        w.WriteString("token", options.Token);
        w.WriteNumber("intents", 0); // INTERACTION_CREATE needs no intent
        w.WriteStartObject("properties");
        w.WriteString("os", Environment.OSVersion.Platform.ToString());
        w.WriteString("browser", "perpguard");
        w.WriteString("device", "perpguard");
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private byte[] Resume() => Frame(6, w =>
    {
        w.WriteStartObject();
        w.WriteString("token", options.Token);
        w.WriteString("session_id", _sessionId);
        if (_sequence is { } s) w.WriteNumber("seq", s);
        else w.WriteNull("seq");
        w.WriteEndObject();
    });

    private static byte[] Frame(int op, Action<Utf8JsonWriter> data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("op", op);
            w.WritePropertyName("d");
            data(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
