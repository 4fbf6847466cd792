using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Hosting;
using PerpGuard.Bot.Cli;

namespace PerpGuard.Bot.Tests.Cli;

/// <summary>Result of one CLI invocation.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs <c>perpguard</c> through its real entry point, in memory or as a child process.</summary>
internal static class CliRunner
{
    /// <summary>In-process: the same <see cref="CliApp.RunAsync"/> that Program.cs calls, over memory streams.</summary>
    public static async Task<CliResult> RunWithAsync(string stdin, Action<IHostApplicationBuilder>? configure, params string[] args)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliStreams(input, output, error), b =>
        {
            // Tests never reach the internet: no live polling unless a test points the venues at a loopback server.
            b.Configuration["Market:Poll"] = "false";
            configure?.Invoke(b);
        }, CancellationToken.None);
        return new CliResult(code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunWithAsync("", null, args);

    /// <summary>
    /// The Bot project's own build output. The copy in the test output cannot run as a process: this test project also
    /// uses the ASP.NET Core shared framework (Kestrel fakes), so Bot's hosting assemblies are not copied beside it.
    /// </summary>
    internal static string BotOutput { get; } = FindBotOutput();

    private static string FindBotOutput()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        for (var dir = testOutput; dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PerpGuard.slnx")))
                return Path.Combine(dir.FullName, "src", "Bot", "bin", configuration, tfm);
        throw new InvalidOperationException("PerpGuard.slnx not found above the test output.");
    }

    /// <summary>Out of process: the built perpguard.dll with real stdin/stdout pipes.</summary>
    public static Task<CliResult> RunProcessAsync(string stdin, params string[] args) => RunProcessInAsync(null, stdin, args);

    /// <summary>Out of process, in <paramref name="workingDirectory"/> (where the default <c>data/perpguard.db</c> goes).</summary>
    public static Task<CliResult> RunProcessInAsync(string? workingDirectory, string stdin, params string[] args) =>
        RunProcessInAsync(workingDirectory, stdin, null, args);

    /// <summary>Out of process with extra environment variables (e.g. <c>Telegram__Token</c>).</summary>
    public static async Task<CliResult> RunProcessInAsync(string? workingDirectory, string stdin, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(ProcessInfo(workingDirectory, environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>How to start the built perpguard.dll: redirected streams, no inherited secrets, no internet.</summary>
    public static ProcessStartInfo ProcessInfo(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        // The child must not inherit a chat token or a database from the developer's environment.
        foreach (var key in new[] { "Telegram__Token", "Discord__Token", "Discord__ApplicationId", "ConnectionStrings__PerpGuard", "ConnectionStrings__Replay" }) info.Environment.Remove(key);
        // Nor may it reach the internet.
        info.Environment["Market__Poll"] = "false";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        info.ArgumentList.Add(Path.Combine(BotOutput, "perpguard.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }
}
