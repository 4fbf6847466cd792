using PerpGuard.Bot.Chat;

namespace PerpGuard.Bot.Tests.Channels;

/// <summary>A channel's receive loop run in the background by a test, stopped the way a shutdown stops it.</summary>
internal sealed class ReceiveLoop : IAsyncDisposable
{
    private CancellationTokenSource? _stop;

    /// <summary>The running loop (faults when the channel stops for good).</summary>
    public Task? Running { get; private set; }

    public void Start(IChatChannel channel, ICommandHandler commands)
    {
        _stop = new CancellationTokenSource();
        Running = channel.ReceiveAsync(commands, _stop.Token);
    }

    /// <summary>Cancels and waits; a restart is <see cref="Start"/> again.</summary>
    public async Task StopAsync()
    {
        if (_stop is null || Running is null) return;
        await _stop.CancelAsync();
        try
        {
            await Running;
        }
        catch (OperationCanceledException)
        {
        }
        catch (ChatChannelFatalException)
        {
            // Asserted by the test that provoked it.
        }
        _stop.Dispose();
        _stop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
