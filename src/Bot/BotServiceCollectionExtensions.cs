using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Options;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Margin;

namespace PerpGuard.Bot;

/// <summary>Registers PerpGuard's services on the generic host.</summary>
public static class BotServiceCollectionExtensions
{
    /// <summary>Options (validated on start), the calculator, and the clock.</summary>
    public static IHostApplicationBuilder AddPerpGuard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CalculatorOptions>().BindConfiguration(CalculatorOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CalculatorOptions>, CalculatorOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(TierCatalog.BuiltIn);
        builder.Services.TryAddSingleton(sp => new RiskCalculator(
            sp.GetRequiredService<TierCatalog>(), sp.GetRequiredService<IOptions<CalculatorOptions>>().Value.ToDefaults()));
        return builder;
    }
}
