using System.Text;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Cli;
using PerpGuard.Bot.Rendering;

namespace PerpGuard.Bot.Channels.Console;

/// <summary>
/// The console as a chat channel: one local user, one command per stdin line, replies on stdout. Interactive use shows
/// a prompt; piped input (<c>perpguard --console &lt; session.txt</c>) echoes each command before its reply, processes
/// every line in order, and ends the channel at end of input. Lines starting with <c>#</c> are comments.
/// </summary>
public sealed class ConsoleChannel(CliStreams streams) : IChatChannel, IDisposable
{
    /// <summary>Platform name stored with the console user.</summary>
    public const string Platform = "console";

    /// <summary>The console user's id: the console is one local user.</summary>
    public const string LocalUser = "local";

    private readonly StreamWriter _output = new(streams.Output, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <inheritdoc />
    public string Name => Platform;

    /// <inheritdoc />
    public async Task ReceiveAsync(ICommandHandler commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var me = new ChatIdentity(Platform, LocalUser, Environment.UserName);
        using var reader = new StreamReader(streams.Input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true);
        if (streams.IsInteractive)
            await WriteAsync("PerpGuard console. Type /help for the commands, /start to begin; Ctrl+D (Ctrl+Z on Windows) or Ctrl+C to quit.\n", cancellationToken);
        while (true)
        {
            if (streams.IsInteractive) await WriteAsync("> ", cancellationToken);
            // WaitAsync: a blocked console read does not observe the token by itself; give up on it at shutdown.
            var line = await reader.ReadLineAsync(cancellationToken).AsTask().WaitAsync(cancellationToken);
            if (line is null) return;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var reply = await commands.HandleAsync(new ChatMessage(me, text, SupportsButtons: false), cancellationToken);
            var echo = streams.IsInteractive ? "" : $"> {text}\n";
            await WriteAsync(echo + PlainTextReply.Render(reply) + "\n", cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task SendAsync(ChatNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return WriteAsync(PlainTextReply.Render(notification.Message) + "\n", cancellationToken);
    }

    // Replies and pushed notifications share stdout; never interleave two messages.
    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _output.WriteAsync(text.AsMemory(), cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _output.Dispose();
        _writeLock.Dispose();
    }
}
