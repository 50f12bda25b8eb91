// One validation of an autotrain run: word accuracy on the validation split and, when there is a guard set, on
// general-domain speech.
namespace DgTools.Training;

public sealed record Measurement(double Accuracy, double? General);
