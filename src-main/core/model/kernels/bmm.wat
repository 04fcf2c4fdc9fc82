;; Batched matrix product with WebAssembly SIMD, run on tfjs-wasm's own memory:
;;   C[t] = A[t] · B[t] for t < batch;  A [batch, m, k], B [batch, k, n], C [batch, m, n], f32,
;; row-major, contiguous; a, b and c are byte offsets. tfjs-wasm sends every batched (3-D) product
;; to a scalar loop of about 1 GFLOP/s; attention is made of exactly these products.
;;
;; Each row of C is computed 16 columns at a time (four f32x4 accumulators: one broadcast of
;; A[i, p] times four vectors of B's row p), then 4 at a time, then one by one.
(module
  (import "env" "memory" (memory 0))
  (func (export "bmm") (param $a i32) (param $b i32) (param $c i32) (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (local $t i32) (local $i i32) (local $j i32) (local $p i32)
    (local $rowA i32) (local $rowC i32) (local $pA i32) (local $pB i32) (local $nb i32)
    (local $av v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $s f32)
    ;; bytes per row of B and C
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (block $batches_done
      (loop $batches
        (br_if $batches_done (i32.ge_u (local.get $t) (local.get $batch)))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
            (local.set $rowA (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 2))))
            (local.set $rowC (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $nb))))
            (local.set $j (i32.const 0))

            ;; 16 columns at a time
            (block $wide_done
              (loop $wide
                (br_if $wide_done (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $n)))
                (local.set $c0 (v128.const i32x4 0 0 0 0))
                (local.set $c1 (v128.const i32x4 0 0 0 0))
                (local.set $c2 (v128.const i32x4 0 0 0 0))
                (local.set $c3 (v128.const i32x4 0 0 0 0))
                (local.set $pA (local.get $rowA))
                (local.set $pB (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
                (local.set $p (local.get $k))
                (block $k_done
                  (loop $ks
                    (br_if $k_done (i32.eqz (local.get $p)))
                    (local.set $av (f32x4.splat (f32.load (local.get $pA))))
                    (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $av) (v128.load (local.get $pB)))))
                    (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $av) (v128.load offset=16 (local.get $pB)))))
                    (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $av) (v128.load offset=32 (local.get $pB)))))
                    (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $av) (v128.load offset=48 (local.get $pB)))))
                    (local.set $pA (i32.add (local.get $pA) (i32.const 4)))
                    (local.set $pB (i32.add (local.get $pB) (local.get $nb)))
                    (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                    (br $ks)))
                (local.set $pB (i32.add (local.get $rowC) (i32.shl (local.get $j) (i32.const 2))))
                (v128.store (local.get $pB) (local.get $c0))
                (v128.store offset=16 (local.get $pB) (local.get $c1))
                (v128.store offset=32 (local.get $pB) (local.get $c2))
                (v128.store offset=48 (local.get $pB) (local.get $c3))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $wide)))

            ;; 4 columns at a time
            (block $quad_done
              (loop $quad
                (br_if $quad_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
                (local.set $c0 (v128.const i32x4 0 0 0 0))
                (local.set $pA (local.get $rowA))
                (local.set $pB (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
                (local.set $p (local.get $k))
                (block $k4_done
                  (loop $k4
                    (br_if $k4_done (i32.eqz (local.get $p)))
                    (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (f32x4.splat (f32.load (local.get $pA))) (v128.load (local.get $pB)))))
                    (local.set $pA (i32.add (local.get $pA) (i32.const 4)))
                    (local.set $pB (i32.add (local.get $pB) (local.get $nb)))
                    (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                    (br $k4)))
                (v128.store (i32.add (local.get $rowC) (i32.shl (local.get $j) (i32.const 2))) (local.get $c0))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $quad)))

            ;; the last columns one by one
            (block $one_done
              (loop $one
                (br_if $one_done (i32.ge_u (local.get $j) (local.get $n)))
                (local.set $s (f32.const 0))
                (local.set $pA (local.get $rowA))
                (local.set $pB (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
                (local.set $p (local.get $k))
                (block $k1_done
                  (loop $k1
                    (br_if $k1_done (i32.eqz (local.get $p)))
                    (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $pA)) (f32.load (local.get $pB)))))
                    (local.set $pA (i32.add (local.get $pA) (i32.const 4)))
                    (local.set $pB (i32.add (local.get $pB) (local.get $nb)))
                    (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                    (br $k1)))
                (f32.store (i32.add (local.get $rowC) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $one)))

            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $a (i32.add (local.get $a) (i32.shl (i32.mul (local.get $m) (local.get $k)) (i32.const 2))))
        (local.set $b (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $nb))))
        (local.set $c (i32.add (local.get $c) (i32.mul (local.get $m) (local.get $nb))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $batches)))))
