// One import for Swift users of SpectralKD: re-exports the public library modules.
@_exported import NumericSupport
@_exported import ArrayIO
@_exported import FourierTransform
@_exported import LinearAlgebra
@_exported import Spectra
@_exported import DensityEstimation
@_exported import Laws
@_exported import Ensembles
@_exported import Fitting
@_exported import Distillation
@_exported import TeacherQuality
@_exported import LinearDistillation
@_exported import WideNetworks
@_exported import Reporting
