/** The charts' dark palette, matched to the CSS variables in styles/theme.css. */
export const CHART_COLORS = {
  background: '#131722',
  text: '#9aa3b5',
  grid: '#1e2330',
  border: '#2a2e39',
  up: '#26a69a',
  down: '#ef5350',
  upVolume: 'rgba(38, 166, 154, 0.45)',
  downVolume: 'rgba(239, 83, 80, 0.45)',
  bid: '#42a5f5',
  ask: '#ffb74d',
  mid: '#b39ddb',
  print: '#e0e0e0',
  crosshair: '#758696',
} as const;
