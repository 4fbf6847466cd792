using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Cli;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Commands;

/// <summary>
/// The bot's real services over a real SQLite file in a temporary directory, with a manual clock. Messages go through
/// the same <see cref="ICommandHandler"/> the channels call.
/// </summary>
internal sealed class BotHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _directory;

    private BotHarness(IHost host, string directory, ManualClock clock)
    {
        _host = host;
        _directory = directory;
        Clock = clock;
        Handler = host.Services.GetRequiredService<ICommandHandler>();
    }

    public ICommandHandler Handler { get; }
    /// <summary>The clock the services use.</summary>
    public ManualClock Clock { get; }
    public IServiceProvider Services => _host.Services;

    public static async Task<BotHarness> StartAsync(DateTimeOffset? now = null, IDictionary<string, string?>? settings = null)
    {
        var directory = TestDirectory.NewPath();
        var clock = now is { } at ? new ManualClock(at) : new ManualClock();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration["ConnectionStrings:PerpGuard"] = $"Data Source={Path.Combine(directory, "perpguard.db")}";
        builder.Configuration["Market:Poll"] = "false";
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddPerpGuard();
        builder.AddPerpGuardBot(new CliStreams(Stream.Null, Stream.Null, TextWriter.Null));
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        return new BotHarness(host, directory, clock);
    }

    public Task<Reply> SendAsync(string text, string user = "alice", bool buttons = false) =>
        Handler.HandleAsync(new ChatMessage(new ChatIdentity("test", user, user), text, buttons), CancellationToken.None);

    /// <summary>The reply as the console shows it.</summary>
    public async Task<string> TextAsync(string text, string user = "alice", bool buttons = false) =>
        PlainTextReply.Render(await SendAsync(text, user, buttons));

    /// <summary>Every stored position of every user, by id, read in a fresh scope (what the database really holds).</summary>
    public async Task<List<Position>> StoredPositionsAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>().Positions.OrderBy(p => p.Id).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Task.Yield();
        TestDirectory.Delete(_directory);
    }
}
