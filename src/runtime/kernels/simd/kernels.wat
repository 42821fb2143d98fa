;; Training kernels in WebAssembly SIMD that run on the wasm backend's own
;; memory (imported, so no copies): tfjs-backend-wasm has no fused kernel for
;; them, and written as JavaScript loops their data-dependent branches are
;; mispredicted about half the time. Four float32 lanes are handled per
;; instruction and lanes are chosen by masks, never by branches.
;;
;; Pointers are byte offsets into the memory; counts are elements. The callers
;; (../simd-kernels.ts and its users) check shapes and dtypes and give everything else to
;; the JavaScript kernels.
;;
;; The memory import is `shared` for the threaded build of the backend;
;; gen-simd-kernels.ts also assembles a copy without it for the other builds.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Gradient of max pooling whose windows neither overlap nor reach past the
  ;; input (`maxpool 2`), channels a multiple of 4. In each window and channel
  ;; the first maximum in scan order (rows, then columns) takes the output
  ;; gradient: a strictly greater value replaces the best so far, so NaN never
  ;; wins and a window of -Infinity passes nothing on. Every position of a
  ;; window is written (the gradient or 0); positions outside every window are
  ;; left as they are, so the caller zeroes dx first when some exist.
  ;;
  ;; x, dx: [batch, inHeight, inWidth, channels]; dy: [batch, outHeight, outWidth, channels].
  (func (export "maxPoolGrad")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $batch i32) (param $inHeight i32) (param $inWidth i32) (param $channels i32)
    (param $outHeight i32) (param $outWidth i32)
    (param $strideHeight i32) (param $strideWidth i32)
    (param $filterHeight i32) (param $filterWidth i32)
    (local $b i32) (local $outRow i32) (local $outCol i32) (local $d i32)
    (local $pixel i32)    ;; bytes per input position: channels * 4
    (local $row i32)      ;; bytes per input row
    (local $corner i32)   ;; byte offset of the window's first position (channel 0)
    (local $tapRow i32) (local $tapCol i32) (local $tap i32)
    (local $best v128) (local $winner v128) (local $greater v128) (local $gradient v128)
    (local $dyAt i32)
    (local.set $pixel (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $row (i32.mul (local.get $inWidth) (local.get $pixel)))
    (local.set $dyAt (local.get $dy))
    (local.set $b (i32.const 0))
    (block $batches (loop $eachBatch
      (br_if $batches (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $outRow (i32.const 0))
      (block $rows (loop $eachRow
        (br_if $rows (i32.ge_u (local.get $outRow) (local.get $outHeight)))
        (local.set $outCol (i32.const 0))
        (block $cols (loop $eachCol
          (br_if $cols (i32.ge_u (local.get $outCol) (local.get $outWidth)))
          (local.set $corner
            (i32.add
              (i32.mul
                (i32.add (i32.mul (local.get $b) (local.get $inHeight)) (i32.mul (local.get $outRow) (local.get $strideHeight)))
                (local.get $row))
              (i32.mul (i32.mul (local.get $outCol) (local.get $strideWidth)) (local.get $pixel))))
          (local.set $d (i32.const 0))
          (block $groups (loop $eachGroup
            (br_if $groups (i32.ge_u (local.get $d) (local.get $pixel)))
            ;; Scan: the winner is kept as the tap's byte offset from the corner, -1 while none.
            (local.set $best (f32x4.splat (f32.const -inf)))
            (local.set $winner (i32x4.splat (i32.const -1)))
            (local.set $tapRow (i32.const 0))
            (block $scanRows (loop $scanRow
              (br_if $scanRows (i32.ge_u (local.get $tapRow) (local.get $filterHeight)))
              (local.set $tapCol (i32.const 0))
              (block $scanCols (loop $scanCol
                (br_if $scanCols (i32.ge_u (local.get $tapCol) (local.get $filterWidth)))
                (local.set $tap
                  (i32.add (i32.mul (local.get $tapRow) (local.get $row)) (i32.mul (local.get $tapCol) (local.get $pixel))))
                (local.set $gradient
                  (v128.load (i32.add (local.get $x) (i32.add (i32.add (local.get $corner) (local.get $tap)) (local.get $d)))))
                (local.set $greater (f32x4.gt (local.get $gradient) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $gradient) (local.get $best) (local.get $greater)))
                (local.set $winner (v128.bitselect (i32x4.splat (local.get $tap)) (local.get $winner) (local.get $greater)))
                (local.set $tapCol (i32.add (local.get $tapCol) (i32.const 1)))
                (br $scanCol)))
              (local.set $tapRow (i32.add (local.get $tapRow) (i32.const 1)))
              (br $scanRow)))
            ;; Write: each tap gets the gradient in the lanes it won, 0 in the others.
            ;; + 0 as the cpu backend's 0 + dy gives it: a -0 gradient arrives as 0.
            (local.set $gradient (f32x4.add (v128.load (local.get $dyAt)) (f32x4.splat (f32.const 0))))
            (local.set $tapRow (i32.const 0))
            (block $writeRows (loop $writeRow
              (br_if $writeRows (i32.ge_u (local.get $tapRow) (local.get $filterHeight)))
              (local.set $tapCol (i32.const 0))
              (block $writeCols (loop $writeCol
                (br_if $writeCols (i32.ge_u (local.get $tapCol) (local.get $filterWidth)))
                (local.set $tap
                  (i32.add (i32.mul (local.get $tapRow) (local.get $row)) (i32.mul (local.get $tapCol) (local.get $pixel))))
                (v128.store
                  (i32.add (local.get $dx) (i32.add (i32.add (local.get $corner) (local.get $tap)) (local.get $d)))
                  (v128.and (local.get $gradient) (i32x4.eq (local.get $winner) (i32x4.splat (local.get $tap)))))
                (local.set $tapCol (i32.add (local.get $tapCol) (i32.const 1)))
                (br $writeCol)))
              (local.set $tapRow (i32.add (local.get $tapRow) (i32.const 1)))
              (br $writeRow)))
            (local.set $dyAt (i32.add (local.get $dyAt) (i32.const 16)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $eachGroup)))
          (local.set $outCol (i32.add (local.get $outCol) (i32.const 1)))
          (br $eachCol)))
        (local.set $outRow (i32.add (local.get $outRow) (i32.const 1)))
        (br $eachRow)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $eachBatch)))
  )

  ;; Gradient of relu: dx = dy * step(x), x being relu's input, where step is 1 above 0, 0 at or
  ;; below it, and NaN at NaN, and the product is a float32 multiply, exactly
  ;; as tfjs's gradient (mul(dy, cast(step(x)))) computes it: dy * 0 keeps
  ;; dy's sign and Infinity * 0 is NaN.
  (func (export "reluGrad") (param $dy i32) (param $x i32) (param $dx i32) (param $count i32)
    (local $i i32) (local $end i32) (local $v v128) (local $step v128) (local $s f32)
    ;; Byte offset of the last whole group of four.
    (local.set $end (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2)))
    (block $done (loop $group
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
      (local.set $step
        (v128.bitselect (f32x4.splat (f32.const 1)) (f32x4.splat (f32.const 0)) (f32x4.gt (local.get $v) (f32x4.splat (f32.const 0)))))
      ;; NaN lanes of x stay NaN.
      (local.set $step (v128.bitselect (local.get $v) (local.get $step) (f32x4.ne (local.get $v) (local.get $v))))
      (v128.store (i32.add (local.get $dx) (local.get $i))
        (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $i))) (local.get $step)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $group)))
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $s (f32.load (i32.add (local.get $x) (local.get $i))))
      (f32.store (i32.add (local.get $dx) (local.get $i))
        (f32.mul
          (f32.load (i32.add (local.get $dy) (local.get $i)))
          (select (local.get $s)
            (select (f32.const 1) (f32.const 0) (f32.gt (local.get $s) (f32.const 0)))
            (f32.ne (local.get $s) (local.get $s)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $tail)))
  )

  ;; One plane of a transpose, 4-byte elements: output element (r, c) at
  ;; dst + (r * rowOut + c) * 4 is input element (r, c) at src + (c * colIn + r) * 4,
  ;; so the input is contiguous along r and the output along c. Moved in 4 x 4
  ;; blocks (four loads, a shuffle transpose, four stores) within 32 x 32 tiles
  ;; that keep reads and writes in cache. Only rows and cols rounded down to
  ;; multiples of 4 are done; the caller copies the edges.
  (func (export "transposePlane")
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $rowOut i32) (param $colIn i32)
    (local $r0 i32) (local $c0 i32) (local $r1 i32) (local $c1 i32) (local $r i32) (local $c i32)
    (local $in i32) (local $out i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rows (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols (i32.and (local.get $cols) (i32.const -4)))
    ;; Strides in bytes from here on.
    (local.set $rowOut (i32.shl (local.get $rowOut) (i32.const 2)))
    (local.set $colIn (i32.shl (local.get $colIn) (i32.const 2)))
    (block $rowTilesDone (loop $rowTiles
      (br_if $rowTilesDone (i32.ge_u (local.get $r0) (local.get $rows)))
      (local.set $r1 (select (i32.add (local.get $r0) (i32.const 32)) (local.get $rows)
        (i32.lt_u (i32.add (local.get $r0) (i32.const 32)) (local.get $rows))))
      (local.set $c0 (i32.const 0))
      (block $colTilesDone (loop $colTiles
        (br_if $colTilesDone (i32.ge_u (local.get $c0) (local.get $cols)))
        (local.set $c1 (select (i32.add (local.get $c0) (i32.const 32)) (local.get $cols)
          (i32.lt_u (i32.add (local.get $c0) (i32.const 32)) (local.get $cols))))
        (local.set $r (local.get $r0))
        (block $rowsDone (loop $eachRows
          (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $r1)))
          (local.set $c (local.get $c0))
          (block $colsDone (loop $eachCols
            (br_if $colsDone (i32.ge_u (local.get $c) (local.get $c1)))
            ;; v_i: rows r..r+3 of column c+i.
            (local.set $in (i32.add (local.get $src)
              (i32.add (i32.mul (local.get $c) (local.get $colIn)) (i32.shl (local.get $r) (i32.const 2)))))
            (local.set $v0 (v128.load (local.get $in)))
            (local.set $v1 (v128.load (i32.add (local.get $in) (local.get $colIn))))
            (local.set $v2 (v128.load (i32.add (local.get $in) (i32.shl (local.get $colIn) (i32.const 1)))))
            (local.set $v3 (v128.load (i32.add (local.get $in) (i32.mul (local.get $colIn) (i32.const 3)))))
            ;; Interleave pairs of columns, then pairs of pairs: output row j is (v0[j], v1[j], v2[j], v3[j]).
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
            (local.set $out (i32.add (local.get $dst)
              (i32.add (i32.mul (local.get $r) (local.get $rowOut)) (i32.shl (local.get $c) (i32.const 2)))))
            (v128.store (local.get $out)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $out) (local.get $rowOut))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $out) (i32.shl (local.get $rowOut) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $out) (i32.mul (local.get $rowOut) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $eachCols)))
          (local.set $r (i32.add (local.get $r) (i32.const 4)))
          (br $eachRows)))
        (local.set $c0 (local.get $c1))
        (br $colTiles)))
      (local.set $r0 (local.get $r1))
      (br $rowTiles)))
  )

  ;; out[o, i] = sum over r of x[o, r, i] (a bias gradient: x is
  ;; [outer, reduced, inner]), inner a multiple of 16. The sums are kept in
  ;; float64 and rounded once, adding four rows per step as
  ;; sum + ((x0 + x1) + (x2 + x3)), so the result is bit for bit that of the
  ;; JavaScript kernel (../reduce-sum.ts). Sixteen columns at a time: one
  ;; cache line per row, in eight float64 pairs.
  (func (export "sumMiddleAxis") (param $x i32) (param $out i32) (param $outer i32) (param $reduced i32) (param $inner i32)
    (local $o i32) (local $col i32) (local $r i32) (local $p i32) (local $q i32)
    (local $row i32) (local $row2 i32) (local $row3 i32) (local $block i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $row (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $row2 (i32.shl (local.get $row) (i32.const 1)))
    (local.set $row3 (i32.mul (local.get $row) (i32.const 3)))
    (local.set $block (i32.mul (local.get $row) (local.get $reduced)))
    (block $outerDone (loop $eachOuter
      (br_if $outerDone (i32.ge_u (local.get $o) (local.get $outer)))
      (local.set $col (i32.const 0))
      (block $colsDone (loop $eachCols
        (br_if $colsDone (i32.ge_u (local.get $col) (local.get $row)))
          (local.set $s0 (f64x2.splat (f64.const 0)))
          (local.set $s1 (f64x2.splat (f64.const 0)))
          (local.set $s2 (f64x2.splat (f64.const 0)))
          (local.set $s3 (f64x2.splat (f64.const 0)))
          (local.set $s4 (f64x2.splat (f64.const 0)))
          (local.set $s5 (f64x2.splat (f64.const 0)))
          (local.set $s6 (f64x2.splat (f64.const 0)))
          (local.set $s7 (f64x2.splat (f64.const 0)))
        (local.set $p (i32.add (i32.add (local.get $x) (i32.mul (local.get $o) (local.get $block))) (local.get $col)))
        (local.set $r (i32.const 0))
        (block $foursDone (loop $eachFour
          (br_if $foursDone (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $reduced)))
            (local.set $a (v128.load offset=0 (local.get $p)))
            (local.set $b (v128.load offset=0 (i32.add (local.get $p) (local.get $row))))
            (local.set $c (v128.load offset=0 (i32.add (local.get $p) (local.get $row2))))
            (local.set $d (v128.load offset=0 (i32.add (local.get $p) (local.get $row3))))
            (local.set $s0 (f64x2.add (local.get $s0) (f64x2.add
              (f64x2.add (f64x2.promote_low_f32x4 (local.get $a)) (f64x2.promote_low_f32x4 (local.get $b)))
              (f64x2.add (f64x2.promote_low_f32x4 (local.get $c)) (f64x2.promote_low_f32x4 (local.get $d))))))
            (local.set $s1 (f64x2.add (local.get $s1) (f64x2.add
              (f64x2.add (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $b) (local.get $b))))
              (f64x2.add (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $c) (local.get $c))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $d) (local.get $d)))))))
            (local.set $a (v128.load offset=16 (local.get $p)))
            (local.set $b (v128.load offset=16 (i32.add (local.get $p) (local.get $row))))
            (local.set $c (v128.load offset=16 (i32.add (local.get $p) (local.get $row2))))
            (local.set $d (v128.load offset=16 (i32.add (local.get $p) (local.get $row3))))
            (local.set $s2 (f64x2.add (local.get $s2) (f64x2.add
              (f64x2.add (f64x2.promote_low_f32x4 (local.get $a)) (f64x2.promote_low_f32x4 (local.get $b)))
              (f64x2.add (f64x2.promote_low_f32x4 (local.get $c)) (f64x2.promote_low_f32x4 (local.get $d))))))
            (local.set $s3 (f64x2.add (local.get $s3) (f64x2.add
              (f64x2.add (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $b) (local.get $b))))
              (f64x2.add (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $c) (local.get $c))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $d) (local.get $d)))))))
            (local.set $a (v128.load offset=32 (local.get $p)))
            (local.set $b (v128.load offset=32 (i32.add (local.get $p) (local.get $row))))
            (local.set $c (v128.load offset=32 (i32.add (local.get $p) (local.get $row2))))
            (local.set $d (v128.load offset=32 (i32.add (local.get $p) (local.get $row3))))
            (local.set $s4 (f64x2.add (local.get $s4) (f64x2.add
              (f64x2.add (f64x2.promote_low_f32x4 (local.get $a)) (f64x2.promote_low_f32x4 (local.get $b)))
              (f64x2.add (f64x2.promote_low_f32x4 (local.get $c)) (f64x2.promote_low_f32x4 (local.get $d))))))
            (local.set $s5 (f64x2.add (local.get $s5) (f64x2.add
              (f64x2.add (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $b) (local.get $b))))
              (f64x2.add (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $c) (local.get $c))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $d) (local.get $d)))))))
            (local.set $a (v128.load offset=48 (local.get $p)))
            (local.set $b (v128.load offset=48 (i32.add (local.get $p) (local.get $row))))
            (local.set $c (v128.load offset=48 (i32.add (local.get $p) (local.get $row2))))
            (local.set $d (v128.load offset=48 (i32.add (local.get $p) (local.get $row3))))
            (local.set $s6 (f64x2.add (local.get $s6) (f64x2.add
              (f64x2.add (f64x2.promote_low_f32x4 (local.get $a)) (f64x2.promote_low_f32x4 (local.get $b)))
              (f64x2.add (f64x2.promote_low_f32x4 (local.get $c)) (f64x2.promote_low_f32x4 (local.get $d))))))
            (local.set $s7 (f64x2.add (local.get $s7) (f64x2.add
              (f64x2.add (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $b) (local.get $b))))
              (f64x2.add (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $c) (local.get $c))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $d) (local.get $d)))))))
          (local.set $p (i32.add (local.get $p) (i32.shl (local.get $row2) (i32.const 1))))
          (local.set $r (i32.add (local.get $r) (i32.const 4)))
          (br $eachFour)))
        (block $restDone (loop $eachRest
          (br_if $restDone (i32.ge_u (local.get $r) (local.get $reduced)))
            (local.set $a (v128.load offset=0 (local.get $p)))
            (local.set $s0 (f64x2.add (local.get $s0) (f64x2.promote_low_f32x4 (local.get $a))))
            (local.set $s1 (f64x2.add (local.get $s1) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a)))))
            (local.set $a (v128.load offset=16 (local.get $p)))
            (local.set $s2 (f64x2.add (local.get $s2) (f64x2.promote_low_f32x4 (local.get $a))))
            (local.set $s3 (f64x2.add (local.get $s3) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a)))))
            (local.set $a (v128.load offset=32 (local.get $p)))
            (local.set $s4 (f64x2.add (local.get $s4) (f64x2.promote_low_f32x4 (local.get $a))))
            (local.set $s5 (f64x2.add (local.get $s5) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a)))))
            (local.set $a (v128.load offset=48 (local.get $p)))
            (local.set $s6 (f64x2.add (local.get $s6) (f64x2.promote_low_f32x4 (local.get $a))))
            (local.set $s7 (f64x2.add (local.get $s7) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a)))))
          (local.set $p (i32.add (local.get $p) (local.get $row)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $eachRest)))
        (local.set $q (i32.add (i32.add (local.get $out) (i32.mul (local.get $o) (local.get $row))) (local.get $col)))
          (v128.store offset=0 (local.get $q) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (local.get $s0)) (f32x4.demote_f64x2_zero (local.get $s1))))
          (v128.store offset=16 (local.get $q) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (local.get $s2)) (f32x4.demote_f64x2_zero (local.get $s3))))
          (v128.store offset=32 (local.get $q) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (local.get $s4)) (f32x4.demote_f64x2_zero (local.get $s5))))
          (v128.store offset=48 (local.get $q) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (local.get $s6)) (f32x4.demote_f64x2_zero (local.get $s7))))
        (local.set $col (i32.add (local.get $col) (i32.const 64)))
        (br $eachCols)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $eachOuter)))
  )
)
