using System.CommandLine;
using ChasiSre.Cli.Commands;

var root = new RootCommand("chasi: the ChasiSre AI SRE pipeline for multi-tenant Kubernetes (vCluster) platforms.")
{
    VersionCommand.Create(),
    DoctorCommand.Create(),
    BenchCommand.Create(),
    AdapterCommand.Create(),
    KbCommand.Create(),
    DiagnoseCommand.Create(),
    ChasiSre.Cli.Scenarios.ScenarioCommand.Create(),
    ChasiSre.Cli.Demo.DemoCommand.Create(),
    ChasiSre.Cli.Run.RunCommand.Create(),
    ChasiSre.Cli.Analyze.AnalyzeCommand.Create(),
    DeployCommand.Create(),
    TokenCommand.Create(),
    ChasiSre.Cli.Operations.IncidentsCommand.Create(),
    ChasiSre.Cli.Operations.ReplayCommand.Create(),
    ChasiSre.Cli.Actions.ActionsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
