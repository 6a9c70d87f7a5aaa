// The segment colours: the Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2002),
// whose colours stay apart for readers with red-green or blue-yellow colour blindness. Its black
// is drawn dark grey (#555555) so that it also shows on the dark theme. Segment i (in id order)
// gets colour i on every page; a ninth segment reuses the first colour (every chart names its
// segments). test/palette.test.js checks the colours under simulated protanopia, deuteranopia
// and tritanopia; README "Report site" documents them. No imports: the node test loads it alone.
export const palette = [
  "#0072b2", // blue
  "#e69f00", // orange
  "#009e73", // bluish green
  "#cc79a7", // reddish purple
  "#56b4e9", // sky blue
  "#d55e00", // vermillion
  "#f0e442", // yellow
  "#555555" // dark grey (Okabe-Ito's black)
];
