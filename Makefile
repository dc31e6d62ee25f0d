# xroute build. Plain GNU make: every module under src/ becomes a static
# library from the .c files it holds, so adding a file needs no edit here.
#
#   make                 release build in build/
#   make SAN=1           ASan + UBSan build in build-san/
#   make check           build, then run the whole test suite (tests/run)
#   make fuzz            libFuzzer targets (clang) in build-fuzz/
#   make fuzz-long       run each fuzz target for FUZZ_SECONDS (default 600)

.DEFAULT_GOAL := all
CC       ?= gcc
SAN      ?= 0
PKGLIBS  := -lmnl -ljansson -lmicrohttpd -lsqlite3 -lpthread -lm

ifeq ($(SAN),1)
BUILD    ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
OPT      := -O1
else
BUILD    ?= build
SANFLAGS :=
OPT      := -O2
endif

WARN     := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-unused-parameter
CFLAGS   ?= $(OPT) -g
ALLCFLAGS = -std=gnu11 -D_GNU_SOURCE -Isrc $(WARN) $(SANFLAGS) $(CFLAGS) -MMD -MP
LDFLAGS  += $(SANFLAGS)

# Lower modules last so static linking resolves upward references.
MODULES  := daemon reconcile api metrics ctl er store bfd fib policy session rib wire lib
LIBS     := $(foreach m,$(MODULES),$(if $(wildcard src/$(m)/*.c),$(BUILD)/libxr_$(m).a))
LINKLIBS := -Wl,--start-group $(LIBS) -Wl,--end-group $(PKGLIBS)

define module_rules
$(1)_SRC := $$(filter-out src/$(1)/main.c,$$(wildcard src/$(1)/*.c))
$(1)_OBJ := $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_SRC))
$(BUILD)/libxr_$(1).a: $$($(1)_OBJ)
	@mkdir -p $$(@D)
	@rm -f $$@
	$(AR) rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(eval $(call module_rules,$(m))))

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TOOL_SRC  := $(wildcard bench/tools/*.c tests/tools/*.c)
TOOL_BIN  := $(patsubst %.c,$(BUILD)/%,$(TOOL_SRC))

PROGS := $(if $(wildcard src/daemon/main.c),$(BUILD)/xrouted) \
         $(if $(wildcard cli/*.c),$(BUILD)/xrctl)

all: $(PROGS) $(UNIT_BIN) $(TOOL_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

# Roles declared weak in src/daemon/roles.h live in static archives; a
# weak reference does not pull an archive member, so name them here.
comma := ,
ROLE_SYMS := $(if $(wildcard src/api/api_role.c),-Wl$(comma)-u$(comma)api_role_main)
$(BUILD)/xrouted: $(BUILD)/obj/src/daemon/main.o $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $< $(ROLE_SYMS) $(LINKLIBS)

CLI_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cli/*.c))
$(BUILD)/xrctl: $(CLI_OBJ) $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LINKLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LINKLIBS)

$(BUILD)/%: $(BUILD)/obj/%.o $(LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LINKLIBS)

# libFuzzer: each tests/fuzz/fuzz_*.c links against the wire and lib
# sources (and config/api parsers as they appear), compiled by clang.
FUZZ_CC   := clang
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(FUZZ_SRC))
FUZZ_LIBSRC := $(foreach m,$(MODULES),$(filter-out src/$(m)/main.c,$(wildcard src/$(m)/*.c)))
FUZZ_FLAGS := -std=gnu11 -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined \
              -fno-sanitize-recover=undefined -DXR_FUZZ
fuzz: $(FUZZ_BIN)
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIBSRC)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIBSRC) $(PKGLIBS)

FUZZ_SECONDS ?= 600
fuzz-long: fuzz
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); \
	  mkdir -p build-fuzz/corpus-$$n; \
	  $$f -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus-$$n tests/fuzz/corpus/$${n#fuzz_} || exit 1; done

check: all
	tests/run

clean:
	rm -rf build build-san build-fuzz

.PHONY: all check clean fuzz fuzz-long
.SECONDARY:
-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
