using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PerpGuard.Bot.Chat;

/// <summary>
/// Runs every chat channel's receive loop. A channel that fails is logged and the others go on; when every channel has
/// finished on its own (the console at end of input), the application stops, so a scripted session exits cleanly.
/// </summary>
public sealed class ChatService(IEnumerable<IChatChannel> channels, ICommandHandler commands, IHostApplicationLifetime lifetime, ILogger<ChatService> logger) : BackgroundService
{
    private readonly List<string> _fatal = [];

    /// <summary>Why channels stopped for good (a rejected token...), for the exit code and stderr; empty when none did.</summary>
    public IReadOnlyList<string> FatalErrors { get { lock (_fatal) return [.. _fatal]; } }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(channels.Select(channel => RunAsync(channel, stoppingToken)));
        if (!stoppingToken.IsCancellationRequested)
        {
            logger.AllChannelsEnded();
            lifetime.StopApplication();
        }
    }

    private async Task RunAsync(IChatChannel channel, CancellationToken stoppingToken)
    {
        try
        {
            await channel.ReceiveAsync(commands, stoppingToken);
            logger.ChannelEnded(channel.Name);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ChatChannelFatalException ex)
        {
            logger.ChannelFatal(channel.Name, ex.Message);
            lock (_fatal) _fatal.Add($"{channel.Name}: {ex.Message}");
        }
#pragma warning disable CA1031 // One channel's failure must not take the others down; it is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.ChannelFailed(ex, channel.Name);
        }
    }
}
