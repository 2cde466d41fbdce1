/** uPlot as the page loads it: `vendor/uplot.iife.min.js` defines the global `uPlot`. */
declare global {
  const uPlot: typeof import('uplot');
  type UPlot = import('uplot');
  type UPlotOptions = import('uplot').Options;
  type UPlotData = import('uplot').AlignedData;
}

export {};
